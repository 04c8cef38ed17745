import TesseraMixer
import TesseraStore

extension MixerSettings {
    /// The mixer settings of a room as stored (layout and video; the rest default).
    init(_ room: Room) {
        self.init(
            layout: room.layout == .speaker ? .speaker : .grid, width: room.video.width, height: room.video.height,
            fps: room.video.fps, bitrateKbps: room.video.bitrateKbps)
    }
}
