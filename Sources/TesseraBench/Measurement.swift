import CAllocationCounter
import Foundation

/// CPU time, wall time and allocations of the calling process so far. Cheap and
/// allocation-free, so it can bracket a single tick.
struct Measurement {
    let cpuSeconds: Double
    let wallSeconds: Double
    let allocations: UInt64
    let allocatedBytes: UInt64

    static func now() -> Measurement {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
        var wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &wall)
        return Measurement(
            cpuSeconds: cpu, wallSeconds: Double(wall.tv_sec) + Double(wall.tv_nsec) * 1e-9,
            allocations: UInt64(tessera_allocation_count()), allocatedBytes: UInt64(tessera_allocated_bytes()))
    }

    /// Whether the interposed counter sees the Swift runtime's allocations: a counter that
    /// missed them would report a mixer that allocates nothing.
    static func countsAllocations() -> Bool {
        let before = tessera_allocation_count()
        probe = Probe()  // Stored in a global, so it cannot live on the stack.
        probe = nil
        return tessera_allocation_count() > before
    }

    private final class Probe {}
    nonisolated(unsafe) private static var probe: Probe?

    /// Resident set size from /proc/self/statm (pages × page size). Reads a file and
    /// allocates: only between runs, never around a tick.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// The value below which `quantile` of the (sorted) samples fall.
func percentile(_ sorted: [Double], _ quantile: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)]
}
