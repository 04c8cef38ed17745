import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

extension TesseraBench {
    /// `tessera-bench load`: many WebRTC participants on one event loop thread, driven over
    /// stdin/stdout by `Benchmarks/load_client.py` (the protocol is `LoadEngine`'s).
    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load client: participants sending pre-encoded media over real ICE, DTLS and SRTP, driven by JSON lines on stdin.")
        @Option(help: "Directory with the cached p0.webm, p1.webm, … inputs.") var inputs: String

        func run() throws {
            let inputs = try BenchInputs(directory: inputs)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            let engine = try loop.submit { NIOLoopBound(LoadEngine(loop: loop, inputs: inputs), eventLoop: loop) }.wait()
            let finished = loop.makePromise(of: Void.self)
            let reader = Thread {
                while let line = readLine() {
                    loop.execute { engine.value.handle(line) }
                }
                loop.execute {
                    engine.value.closeAll()
                    // Lets the close_notify datagrams leave before the loop stops.
                    loop.scheduleTask(in: .milliseconds(100)) { finished.succeed() }
                }
            }
            reader.start()
            try finished.futureResult.wait()
            try group.syncShutdownGracefully()
        }
    }
}
