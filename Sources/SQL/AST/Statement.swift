/// A top-level SQL statement.
public indirect enum SQLStatement: Equatable, Sendable {
    case query(SQLQuery)
    /// `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW name …`.
    case createView(CreateView)
    /// `DROP VIEW [IF EXISTS] name`.
    case dropView(name: String, ifExists: Bool, at: SourceLocation)
    /// `SHOW TABLES` / `SHOW VIEWS`.
    case showTables
    /// `DESCRIBE name` / `DESCRIBE QUERY …` / `DESC …`.
    case describe(DescribeTarget)
    /// `EXPLAIN [EXTENDED|FORMATTED|…] statement`.
    case explain(SQLStatement, mode: String?)
    /// `INSERT INTO [TABLE] name query` (`overwrite` for `INSERT OVERWRITE`).
    case insert(target: [String], query: SQLQuery, overwrite: Bool, at: SourceLocation)
}

/// What DESCRIBE describes.
public enum DescribeTarget: Equatable, Sendable {
    case table(String, at: SourceLocation)
    case query(SQLQuery)
}

/// A temporary view definition.
public struct CreateView: Equatable, Sendable {
    /// What the view reads.
    public enum Source: Equatable, Sendable {
        /// `AS SELECT …`.
        case query(SQLQuery)
        /// `USING csv OPTIONS (path '…', header 'true', …)`.
        case dataSource(format: String, options: [(key: String, value: String)])

        public static func == (a: Source, b: Source) -> Bool {
            switch (a, b) {
            case (.query(let x), .query(let y)): return x == y
            case (.dataSource(let f, let o), .dataSource(let g, let p)):
                return f == g && o.map(\.key) == p.map(\.key) && o.map(\.value) == p.map(\.value)
            default: return false
            }
        }
    }

    public var name: String
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// Optional declared columns: `(a INT, b STRING)` for data sources or `(a, b)` names for queries.
    public var columns: [(name: String, type: SQLTypeName?)]
    public var source: Source
    public var location: SourceLocation

    /// Creates a view definition.
    public init(name: String, orReplace: Bool, ifNotExists: Bool, columns: [(name: String, type: SQLTypeName?)],
                source: Source, location: SourceLocation) {
        self.name = name
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.source = source
        self.location = location
    }

    public static func == (a: CreateView, b: CreateView) -> Bool {
        a.name == b.name && a.orReplace == b.orReplace && a.ifNotExists == b.ifNotExists
            && a.columns.map(\.name) == b.columns.map(\.name) && a.columns.map(\.type) == b.columns.map(\.type)
            && a.source == b.source && a.location == b.location
    }
}
