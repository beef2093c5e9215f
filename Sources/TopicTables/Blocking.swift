import Dispatch
import Engine
import KafkaClient

/// Runs async client work from the engine's synchronous interfaces (planning, scans, sinks),
/// which run on the caller's thread or on the worker pool, never on the client's event loops.
func blocking<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    switch box.result {
    case .success(let v)?: return v
    case .failure(let e)?: throw TopicTablesErrors.wrap(e, what)
    case nil: throw EngineError.execution("\(what): no result")
    }
}

/// Carries a result from the task to the waiting thread (the semaphore orders the accesses).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Turns client errors into engine errors that say what the engine was doing.
enum TopicTablesErrors {
    static func wrap(_ error: Error, _ what: String) -> Error {
        if error is EngineError { return error }
        return EngineError.execution("\(what): \(error)")
    }
}
