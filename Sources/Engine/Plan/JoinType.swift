/// The kinds of join, named as Spark names them.
public enum JoinType: String, Hashable, Sendable {
    case inner
    /// LEFT [OUTER] JOIN.
    case left
    /// RIGHT [OUTER] JOIN.
    case right
    /// FULL [OUTER] JOIN.
    case full
    /// LEFT SEMI JOIN: left rows with at least one match, left columns only.
    case leftSemi = "left_semi"
    /// LEFT ANTI JOIN: left rows with no match, left columns only.
    case leftAnti = "left_anti"
    /// CROSS JOIN (a comma in FROM).
    case cross

    /// Parses the names PySpark accepts for `how=` (`inner`, `left_outer`, `leftsemi`, `anti`…).
    public init?(sparkName: String) {
        switch sparkName.lowercased().replacingOccurrences(of: "_", with: "") {
        case "inner": self = .inner
        case "left", "leftouter": self = .left
        case "right", "rightouter": self = .right
        case "full", "fullouter", "outer": self = .full
        case "semi", "leftsemi": self = .leftSemi
        case "anti", "leftanti": self = .leftAnti
        case "cross": self = .cross
        default: return nil
        }
    }

    /// True when only the left side's columns are output.
    public var outputsLeftOnly: Bool { self == .leftSemi || self == .leftAnti }
}
