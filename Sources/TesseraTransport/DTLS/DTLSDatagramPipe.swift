internal import COpenSSL

/// The in-memory transport under an endpoint's `SSL`: a custom BIO that keeps datagram
/// boundaries, which `BIO_s_mem` does not.
///
/// OpenSSL packs a DTLS flight into datagrams of at most the MTU and writes each one to its BIO
/// with a single `BIO_write` (the flush of its internal buffering BIO); a memory BIO would
/// concatenate them into one oversized blob. Here every write becomes one outbound datagram,
/// and every read hands OpenSSL exactly one inbound datagram (truncated to the read size, as
/// `recvfrom` would), then "would block".
final class DTLSDatagramPipe {
    /// Outbound datagrams kept per endpoint call; more are dropped like a full socket buffer
    /// would drop them (DTLS retransmits). A handshake flight at MTU 1200 is 2–4 datagrams.
    static let outboundLimit = 64

    /// The datagram the next `BIO_read` returns; cleared by that read.
    var inbound: [UInt8]?
    private var outbound: [[UInt8]] = []
    /// Datagrams dropped because `outboundLimit` was reached.
    private(set) var droppedDatagrams = 0

    /// Returns and forgets the datagrams OpenSSL wrote since the last call.
    func takeOutbound() -> [[UInt8]] {
        defer { outbound = [] }
        return outbound
    }

    /// A BIO reading from and writing to this pipe. It holds an unretained reference: the
    /// owner must free the `SSL` (and with it the BIO) while the pipe is alive.
    func makeBIO() throws(DTLSError) -> OpaquePointer {
        let method = try check(DatagramBIOMethod.shared.pointer, .configuration, "BIO_meth_new")
        let bio = try check(BIO_new(method), .configuration, "BIO_new")
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
        return bio
    }

    fileprivate func enqueue(_ bytes: UnsafeRawBufferPointer) {
        guard outbound.count < Self.outboundLimit else {
            droppedDatagrams += 1
            return
        }
        outbound.append(Array(bytes))
    }

    fileprivate static func from(_ bio: OpaquePointer?) -> DTLSDatagramPipe? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<DTLSDatagramPipe>.fromOpaque(data).takeUnretainedValue()
    }
}

/// The process-wide `BIO_METHOD` of `DTLSDatagramPipe`, built once and never freed.
///
/// `@unchecked Sendable`: the method table is immutable after `init` and OpenSSL only reads
/// it; all per-BIO state lives in the pipe, which stays confined to its endpoint.
private final class DatagramBIOMethod: @unchecked Sendable {
    static let shared = DatagramBIOMethod()

    let pointer: OpaquePointer?

    private init() {
        let index = BIO_get_new_index()
        guard index > 0, let method = BIO_meth_new(index | BIO_TYPE_SOURCE_SINK, "tessera DTLS datagram") else {
            pointer = nil
            return
        }
        BIO_meth_set_write(method) { bio, data, length in
            guard let pipe = DTLSDatagramPipe.from(bio), let data, length >= 0 else { return -1 }
            tessera_BIO_clear_retry_flags(bio)
            pipe.enqueue(UnsafeRawBufferPointer(start: data, count: Int(length)))
            return length
        }
        BIO_meth_set_read(method) { bio, buffer, capacity in
            guard let pipe = DTLSDatagramPipe.from(bio), let buffer, capacity >= 0 else { return -1 }
            tessera_BIO_clear_retry_flags(bio)
            guard let datagram = pipe.inbound else {
                tessera_BIO_set_retry_read(bio)
                return -1
            }
            pipe.inbound = nil
            let count = min(datagram.count, Int(capacity))
            datagram.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: count)
            }
            return Int32(count)
        }
        BIO_meth_set_ctrl(method) { bio, command, _, _ in
            switch command {
            case BIO_CTRL_FLUSH:
                return 1  // every write already is a datagram
            case BIO_CTRL_PENDING:
                return DTLSDatagramPipe.from(bio)?.inbound?.count ?? 0
            default:
                // Includes BIO_CTRL_WPENDING (nothing buffered) and
                // BIO_CTRL_DGRAM_GET_MTU_OVERHEAD (0: the MTU counts UDP payload bytes).
                return 0
            }
        }
        BIO_meth_set_create(method) { bio in
            BIO_set_init(bio, 1)
            return 1
        }
        BIO_meth_set_destroy(method) { bio in
            BIO_set_data(bio, nil)
            BIO_set_init(bio, 0)
            return 1
        }
        pointer = method
    }
}
