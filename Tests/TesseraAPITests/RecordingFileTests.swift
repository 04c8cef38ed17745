import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TesseraAPI
@testable import TesseraStore

@Suite struct ByteRangeTests {
    @Test func rangesResolveAgainstTheFileSize() {
        #expect(ByteRange(header: nil, size: 100) == .whole)
        #expect(ByteRange(header: "bytes=0-9", size: 100) == .part(0...9))
        #expect(ByteRange(header: "bytes=90-", size: 100) == .part(90...99))
        #expect(ByteRange(header: "bytes=-10", size: 100) == .part(90...99))
        #expect(ByteRange(header: "bytes=-500", size: 100) == .part(0...99))
        #expect(ByteRange(header: "bytes=50-500", size: 100) == .part(50...99), "an end past the file is clamped")
        #expect(ByteRange(header: "bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=200-300", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-0", size: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=9-1", size: 100) == .whole, "an invalid range is ignored")
        #expect(ByteRange(header: "bytes=0-1,5-6", size: 100) == .whole, "several ranges get the whole file")
        #expect(ByteRange(header: "items=0-1", size: 100) == .whole)
        #expect(ByteRange(header: "bytes=x-y", size: 100) == .whole)
    }
}

@Suite struct RecordingFileTests {
    func get(_ client: any TestClientProtocol, _ uri: String, range: String? = nil) async throws -> (HTTPResponse.Status, HTTPFields, [UInt8]) {
        var headers: HTTPFields = [.authorization: "Bearer \(adminKey)"]
        if let range { headers[.range] = range }
        return try await client.execute(uri: uri, method: .get, headers: headers) {
            ($0.status, $0.headers, Array($0.body.readableBytesView))
        }
    }

    @Test func theFileIsServedWholeOrByExactRanges() async throws {
        let server = try await TestServer.make()
        let store = server.context.store
        let room = try store.createRoom(Room(name: "r"))
        let recording = Recording(roomId: room.id, meetingId: nil, status: .completed)
        try store.insertRecording(recording)
        let path = (server.directory as NSString).appendingPathComponent(recording.filePath)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try await server.run { client in
            let uri = "/v1/recordings/\(recording.id)/file"
            let (status, headers, body) = try await get(client, uri)
            #expect(status == .ok && body == bytes)
            #expect(headers[.contentType] == "video/webm" && headers[.contentLength] == "300000")
            #expect(headers[.acceptRanges] == "bytes")
            #expect(headers[.contentDisposition]?.contains("\(recording.id).webm") == true)

            let (partial, partHeaders, part) = try await get(client, uri, range: "bytes=1000-133071")
            #expect(partial == .partialContent && part == Array(bytes[1000...133_071]))
            #expect(partHeaders[.contentRange] == "bytes 1000-133071/300000" && partHeaders[.contentLength] == "132072")
            let (_, _, tail) = try await get(client, uri, range: "bytes=-17")
            #expect(tail == Array(bytes.suffix(17)))

            let (outside, outsideHeaders, _) = try await get(client, uri, range: "bytes=300000-")
            #expect(outside == .rangeNotSatisfiable && outsideHeaders[.contentRange] == "bytes */300000")
            let (missing, _, _) = try await get(client, "/v1/recordings/nope/file")
            #expect(missing == .notFound)
            try FileManager.default.removeItem(atPath: path)
            let (gone, _, _) = try await get(client, uri)
            #expect(gone == .notFound, "a recording whose file is missing answers 404")
        }
    }
}
