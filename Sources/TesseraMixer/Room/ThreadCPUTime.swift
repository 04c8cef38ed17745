#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time the calling thread used so far (user + system), in seconds. A room's mixer
/// owns its thread, so read there this is the room's CPU cost. (`tessera-bench` reads it
/// around the calls it measures.)
package func threadCPUSeconds() -> Double {
    var time = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
