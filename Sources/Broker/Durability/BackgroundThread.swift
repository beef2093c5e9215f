#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached OS thread running `body` (the broker's flusher and housekeeping loops
/// block in fsync and sleeps, so they must not run on an event loop).
func startBackgroundThread(name: String, _ body: @escaping () -> Void) {
    final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
        box.body()
        return nil
    }, box)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    pthread_detach(thread)
    _ = name
}
