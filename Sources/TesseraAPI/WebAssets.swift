import Foundation
import NIOCore

/// The browser client's files (`Sources/TesseraAPI/Web`, shipped as the package resource
/// `Web`): read once, served from memory. Only the top level of the directory, and only
/// the file types listed in `contentTypes`.
struct WebAssets: Sendable {
    struct File: Sendable {
        let body: ByteBuffer
        let contentType: String
        /// A strong validator of the content (RFC 9110 §8.8.3), so `no-cache` revalidation
        /// costs a 304, not the file.
        let eTag: String
    }

    let files: [String: File]

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
    ]

    /// The files of the package resource, loaded on first use.
    static let bundled = WebAssets(directory: Bundle.module.url(forResource: "Web", withExtension: nil))

    init(directory: URL?) {
        var files: [String: File] = [:]
        let names = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        for name in names {
            guard let directory, let type = Self.contentTypes[(name as NSString).pathExtension.lowercased()],
                let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
            else { continue }
            files[name] = File(body: ByteBuffer(bytes: data), contentType: type, eTag: Self.eTag(data))
        }
        self.files = files
    }

    subscript(name: String) -> File? { files[name] }

    /// `"<FNV-1a 64 of the bytes>-<length>"`: changes whenever a rebuild changes the file.
    static func eTag(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return "\"\(String(hash, radix: 16))-\(data.count)\""
    }
}
