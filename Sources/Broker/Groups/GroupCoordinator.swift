import KafkaProtocol
import LogStorage
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The group coordinator: every classic group of this broker, their parked JoinGroup and
/// SyncGroup requests, the timers that end join phases and sessions, and the offsets topic
/// where commits and group metadata are persisted.
///
/// One lock guards all groups. Transitions are computed by `ClassicGroup` under the lock; the
/// answers they produce are sent after it is released. Timers run on the event loop of the
/// request that armed them; answering hops to each connection's own loop (`RequestContext.respond`
/// does that).
///
/// What KIP-848 (the ConsumerGroupHeartbeat protocol) would add: the assignment moves to the
/// broker (server-side assignors "uniform" and "range"), members reconcile incrementally with a
/// member epoch instead of stop-the-world generations, a single heartbeat RPC replaces
/// JoinGroup/SyncGroup/Heartbeat, and new record types (ConsumerGroupMetadata, target assignment,
/// current member assignment) join the offsets topic. None of it is served yet: ApiVersions does
/// not list ConsumerGroupHeartbeat, so clients use the classic protocol.
public final class GroupCoordinator: @unchecked Sendable {
    public let config: GroupConfig
    private let lock = NIOLock()
    private var groups: [String: ClassicGroup] = [:]
    /// Parked requests by id, with how to answer them.
    private var parked: [UInt64: RequestContext] = [:]
    private var nextParkedId: UInt64 = 0
    private var timers: [String: (deadlineMs: Int64, task: Scheduled<Void>)] = [:]
    private var housekeeping: RepeatedTask?
    private var stopped = false
    let offsetsTopic: OffsetsTopic
    private let registry: TopicRegistry
    private let clock: @Sendable () -> Int64
    private let logger: Logger

    /// Opens (or creates) the offsets topic and loads every group and committed offset from it.
    public init(config: GroupConfig, registry: TopicRegistry, logger: Logger, clock: @escaping @Sendable () -> Int64) throws {
        self.config = config
        self.registry = registry
        self.logger = logger
        self.clock = clock
        offsetsTopic = try OffsetsTopic(registry: registry, config: config)
        let now = clock()
        var loaded: [String: ClassicGroup] = [:]
        var records = 0
        try offsetsTopic.load({ record in
            records += 1
            switch record {
            case .offset(let groupId, let tp, let value):
                var g = loaded[groupId] ?? ClassicGroup(groupId: groupId, nowMs: now)
                if let value { g.offsets[tp] = value } else { g.offsets[tp] = nil }
                loaded[groupId] = g
            case .group(let groupId, let value):
                var g = loaded[groupId] ?? ClassicGroup(groupId: groupId, nowMs: now)
                if let value { g.restore(value, nowMs: now) } else { g.forgetMembership(nowMs: now) }
                loaded[groupId] = g
            }
        }, problem: { logger.warning("loading consumer groups: \($0)") })
        groups = loaded.filter { !$0.value.isForgettable }
        if records > 0 {
            logger.info("loaded \(groups.count) consumer groups from \(records) records of \(OffsetsTopic.name)")
        }
    }

    /// Stops the timers; parked requests stay unanswered (their connections are closing).
    public func shutdown() {
        let (tasks, repeated) = lock.withLock { () -> ([Scheduled<Void>], RepeatedTask?) in
            stopped = true
            let t = timers.values.map(\.task)
            timers.removeAll()
            defer { housekeeping = nil }
            return (t, housekeeping)
        }
        for t in tasks { t.cancel() }
        repeated?.cancel()
    }

    // MARK: Running transitions

    /// Runs `body` on a group under the lock, re-arms the group's timer, then carries out the
    /// actions: persisting first (an answer must not promise what is not written), answers last.
    @discardableResult
    func withGroup<T>(
        _ groupId: String, create: Bool, loop: EventLoop?, _ body: (inout ClassicGroup?) -> (T, [GroupAction])
    ) -> T {
        let (result, replies) = lock.withLock { () -> (T, [(RequestContext, Answer)]) in
            var group = groups[groupId] ?? (create ? ClassicGroup(groupId: groupId, nowMs: clock()) : nil)
            let (result, actions) = body(&group)
            let replies = apply(actions, to: &group, groupId: groupId)
            if let g = group, !g.isForgettable { groups[groupId] = g } else { groups[groupId] = nil }
            if let loop { rearm(groupId, loop: loop) }
            return (result, replies)
        }
        send(replies)
        return result
    }

    enum Answer {
        case join(JoinGroupResponse)
        case sync(SyncGroupResponse)
    }

    /// Parks `ctx` and returns the id the state machine will answer it by. Called under the lock
    /// (from inside a `withGroup` body).
    func park(_ ctx: RequestContext) -> ParkedRequest {
        nextParkedId += 1
        parked[nextParkedId] = ctx
        return ParkedRequest(id: nextParkedId, version: ctx.version)
    }

    /// Called under the lock: persists and collects the answers.
    private func apply(_ actions: [GroupAction], to group: inout ClassicGroup?, groupId: String) -> [(RequestContext, Answer)] {
        var replies: [(RequestContext, Answer)] = []
        for action in actions {
            switch action {
            case .persistGroup:
                if let g = group { persistGroup(g) }
            case .answerJoin(let waiter, let response):
                if let ctx = parked.removeValue(forKey: waiter.id) { replies.append((ctx, .join(response))) }
            case .answerSync(let waiter, let response):
                if let ctx = parked.removeValue(forKey: waiter.id) { replies.append((ctx, .sync(response))) }
            }
        }
        return replies
    }

    private func send(_ replies: [(RequestContext, Answer)]) {
        for (ctx, answer) in replies {
            switch answer {
            case .join(let r): ctx.reply(r)
            case .sync(let r): ctx.reply(r)
            }
        }
    }

    /// Writes the group's metadata record; a failure is logged (the group lives on in memory and
    /// the next transition writes it again).
    private func persistGroup(_ g: ClassicGroup) {
        let record: OffsetsTopicRecord = g.state == .dead || (g.members.isEmpty && g.protocolType == nil)
            ? .group(g.groupId, nil) : .group(g.groupId, g.metadataValue)
        do {
            _ = try offsetsTopic.append([record], groupId: g.groupId, nowMs: clock())
        } catch {
            logger.error("persisting group \(g.groupId) failed: \(error)")
        }
    }

    // MARK: Timers

    /// Schedules the group's next deadline on `loop` unless an earlier timer is already set.
    /// Called under the lock.
    private func rearm(_ groupId: String, loop: EventLoop) {
        guard !stopped else { return }
        ensureHousekeeping(loop)
        guard let deadline = groups[groupId]?.nextDeadlineMs else { return }
        if let existing = timers[groupId], existing.deadlineMs <= deadline { return }
        timers[groupId]?.task.cancel()
        let delay = max(1, deadline - clock())
        let task = loop.scheduleTask(in: .milliseconds(delay)) { [weak self] () -> Void in
            guard let self else { return }
            self.fire(groupId, loop: loop)
        }
        timers[groupId] = (deadline, task)
    }

    private func fire(_ groupId: String, loop: EventLoop) {
        let replies = lock.withLock { () -> [(RequestContext, Answer)] in
            timers[groupId] = nil
            guard var group = groups[groupId] else { return [] }
            group.initialDelayMs = config.initialRebalanceDelayMs
            let actions = group.tick(nowMs: clock())
            var g: ClassicGroup? = group
            let replies = apply(actions, to: &g, groupId: groupId)
            groups[groupId] = g.flatMap { $0.isForgettable ? nil : $0 }
            rearm(groupId, loop: loop)
            return replies
        }
        send(replies)
    }

    /// Starts the periodic expiry of old offsets, and the timers of groups loaded at start,
    /// on the first event loop a group request arrives on. Called under the lock.
    private func ensureHousekeeping(_ loop: EventLoop) {
        guard housekeeping == nil else { return }
        let interval = config.offsetsRetentionCheckIntervalMs
        housekeeping = loop.scheduleRepeatedTask(initialDelay: .milliseconds(interval), delay: .milliseconds(interval)) { [weak self] _ in
            self?.expireOffsets()
        }
        for id in groups.keys where timers[id] == nil { rearm(id, loop: loop) }
    }

    /// Removes offsets past their retention (writing tombstones) and forgets emptied groups.
    public func expireOffsets() {
        let now = clock()
        lock.withLock {
            for (id, var g) in groups {
                let expired = g.expiredOffsets(nowMs: now, retentionMs: config.offsetsRetentionMs)
                guard !expired.isEmpty else { continue }
                var records = expired.map { OffsetsTopicRecord.offset(group: id, $0, nil) }
                _ = g.deleteOffsets(expired)
                if g.isForgettable { records.append(.group(id, nil)) }
                do {
                    _ = try offsetsTopic.append(records, groupId: id, nowMs: now)
                } catch {
                    logger.error("expiring offsets of group \(id) failed: \(error)")
                    continue
                }
                logger.info("expired \(expired.count) committed offsets of group \(id)")
                groups[id] = g.isForgettable ? nil : g
            }
        }
    }

    /// Forgets every group's committed offsets of a deleted topic (tombstones in the offsets
    /// topic), as Kafka does, so a topic created again under the name starts without them.
    public func removeOffsets(ofTopic topic: String) {
        let now = clock()
        lock.withLock {
            for (id, var g) in groups {
                let doomed = g.offsets.keys.filter { $0.topic == topic }.sorted()
                guard !doomed.isEmpty else { continue }
                do {
                    _ = try offsetsTopic.append(doomed.map { .offset(group: id, $0, nil) }, groupId: id, nowMs: now)
                } catch {
                    logger.error("removing offsets of deleted topic \(topic) from group \(id) failed: \(error)")
                    continue
                }
                _ = g.deleteOffsets(doomed)
                groups[id] = g.isForgettable ? nil : g
            }
        }
    }

    // MARK: Reads for the handlers

    /// A copy of a group's state (tests and admin APIs).
    public func group(_ id: String) -> ClassicGroup? { lock.withLock { groups[id] } }

    /// Every group that is not dead.
    public var allGroups: [ClassicGroup] { lock.withLock { groups.values.filter { $0.state != .dead }.sorted { $0.groupId < $1.groupId } } }

    /// Whether `name` is a partition of a topic this broker has (offsets of unknown partitions are refused).
    func partitionExists(_ tp: TopicPartition) -> Bool {
        registry.topic(tp.topic)?.partition(tp.partition) != nil
    }

    var now: Int64 { clock() }

    /// Runs `body` under the lock with direct access to the table (admin operations over many groups).
    func withTable<T>(_ body: (inout [String: ClassicGroup]) -> T) -> T { lock.withLock { body(&groups) } }
}
