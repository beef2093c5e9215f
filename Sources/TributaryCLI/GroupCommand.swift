import ArgumentParser
import KafkaClient

/// `tributary group`: list, describe (with lag), delete and reset consumer groups.
struct GroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "List, describe, delete and reset consumer groups.",
        subcommands: [List.self, Describe.self, Delete.self, Reset.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List consumer groups.", aliases: ["ls"])
        @OptionGroup var cluster: BrokerOptions

        func run() throws {
            try cluster.withAdmin { admin in
                var table = TextTable(["GROUP", "STATE", "PROTOCOL-TYPE"])
                for g in try await admin.listGroups() {
                    table.add([g.groupId, g.state.isEmpty ? "-" : g.state, g.protocolType])
                }
                print(table.render())
            }
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a group's members, offsets and lag.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Group ids.") var groups: [String]

        func run() throws {
            let groups = self.groups
            try cluster.withAdmin { admin in
                for (i, groupId) in groups.enumerated() {
                    if i > 0 { print("") }
                    let d = try await admin.describeGroup(groupId)
                    let lags = try await admin.groupLag(groupId)
                    var summary = TextTable(["GROUP", d.groupId])
                    summary.add(["COORDINATOR", "\(d.coordinator)"])
                    summary.add(["STATE", d.state])
                    summary.add(["BALANCER", d.protocolName.isEmpty ? "-" : d.protocolName])
                    summary.add(["MEMBERS", "\(d.members.count)"])
                    summary.add(["TOTAL-LAG", "\(lags.reduce(0) { $0 + $1.lag })"])
                    print(summary.render())
                    print("")
                    var table = TextTable(["TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID", "CLIENT-ID"])
                    for l in lags {
                        table.add([l.tp.topic, "\(l.tp.partition)", l.committedOffset.map { "\($0)" } ?? "-",
                                   "\(l.logEndOffset)", "\(l.lag)", l.memberId ?? "", l.clientId ?? ""])
                    }
                    print(table.render())
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete groups that have no members.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Group ids.") var groups: [String]

        func run() throws {
            let groups = self.groups
            try cluster.withAdmin { admin in
                try await admin.deleteGroups(groups)
                var table = TextTable(["GROUP", "STATUS"])
                for g in groups { table.add([g, "OK"]) }
                print(table.render())
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an inactive group's committed offsets for a topic.",
            discussion: "--to: start, end, an absolute offset N, or @TIMESTAMP_MS.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Group id.") var group: String
        @Option(name: .shortAndLong, help: "Topic whose offsets move.") var topic: String
        @Option(name: .long, help: "start, end, N or @TIMESTAMP_MS.") var to: String

        func run() throws {
            let target = try StartPosition(offset: to, timestamp: nil)
            let (group, topic) = (self.group, self.topic)
            try cluster.withAdmin { admin in
                let tps = try await admin.partitions(of: topic)
                var offsets: [TopicPartition: Int64] = [:]
                switch target {
                case .start, .end:
                    for (tp, o) in try await admin.listOffsets(tps, spec: target == .start ? .earliest : .latest) { offsets[tp] = o.offset }
                case let .timestamp(t):
                    let found = try await admin.listOffsets(tps, spec: .timestamp(t))
                    let ends = try await admin.listOffsets(tps, spec: .latest)
                    for tp in tps { offsets[tp] = (found[tp]?.offset ?? -1) >= 0 ? found[tp]!.offset : (ends[tp]?.offset ?? 0) }
                case let .offset(n):
                    for tp in tps { offsets[tp] = n }
                case .fromEnd:
                    throw ValidationError("--to takes start, end, N or @TIMESTAMP_MS")
                }
                try await admin.resetOffsets(group: group, to: offsets)
                var table = TextTable(["TOPIC", "PARTITION", "NEW-OFFSET"])
                for tp in tps { table.add([tp.topic, "\(tp.partition)", "\(offsets[tp] ?? -1)"]) }
                print(table.render())
            }
        }
    }
}
