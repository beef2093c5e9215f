/// A top-level SQL statement.
public indirect enum SQLStatement: Equatable, Sendable {
    case query(SQLQuery)
    /// `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW name …`.
    case createView(CreateView)
    /// `DROP VIEW [IF EXISTS] name`.
    case dropView(name: String, ifExists: Bool, at: SourceLocation)
    /// `CREATE TABLE … USING format … [AS query]`: a table kept in the warehouse.
    case createTable(CreateTable)
    /// `DROP TABLE [IF EXISTS] name`: a table of the warehouse, or a temporary view.
    case dropTable(name: String, ifExists: Bool, at: SourceLocation)
    /// `SHOW TABLES` / `SHOW VIEWS`, or with `IN ns` the tables of a connected namespace (`topics`).
    case showTables(namespace: String?, at: SourceLocation)
    /// `SHOW FUNCTIONS [LIKE 'pattern']`.
    case showFunctions(pattern: String?)
    /// `SHOW DATABASES` / `SHOW SCHEMAS` / `SHOW NAMESPACES`.
    case showDatabases
    /// `SET key = value` (value nil: `SET key` shows it; key nil: `SET` lists all), also
    /// `SET TIME ZONE 'zone'`.
    case set(key: String?, value: String?, at: SourceLocation)
    /// `DESCRIBE name` / `DESCRIBE QUERY …` / `DESC …`.
    case describe(DescribeTarget)
    /// `EXPLAIN [EXTENDED|FORMATTED|…] statement`.
    case explain(SQLStatement, mode: String?)
    /// `INSERT INTO [TABLE] name query` (`overwrite` for `INSERT OVERWRITE`).
    case insert(target: [String], query: SQLQuery, overwrite: Bool, at: SourceLocation)
    /// `INSERT OVERWRITE [LOCAL] DIRECTORY ['path'] USING format [OPTIONS (…)] query`.
    case insertOverwriteDirectory(InsertDirectory)
    /// `CACHE [LAZY] TABLE name [[AS] query]`: keep a view's rows in memory, computed now unless
    /// `LAZY` (then at first use); with a query, the view is created from it first.
    case cacheTable(name: String, lazy: Bool, query: SQLQuery?, at: SourceLocation)
    /// `UNCACHE TABLE [IF EXISTS] name`.
    case uncacheTable(name: String, ifExists: Bool, at: SourceLocation)
    /// `CLEAR CACHE`: drop every cached view's rows.
    case clearCache
}

/// Spark's query-result write: `INSERT OVERWRITE [LOCAL] DIRECTORY ['path'] USING parquet|csv|json
/// [OPTIONS (key 'value', …)] SELECT …`. The path may be given as the `path` option instead.
public struct InsertDirectory: Equatable, Sendable {
    /// The output directory, from the statement or the `path` option.
    public var path: String
    /// Whether `LOCAL` was written (the local file system is the only one, so it changes nothing).
    public var local: Bool
    /// The file format, lower-cased.
    public var format: String
    /// Writer options other than `path`, in the order given.
    public var options: [(key: String, value: String)]
    /// The rows to write.
    public var query: SQLQuery
    /// Where the statement starts.
    public var location: SourceLocation

    /// Creates the statement.
    public init(path: String, local: Bool, format: String, options: [(key: String, value: String)], query: SQLQuery,
                location: SourceLocation) {
        self.path = path
        self.local = local
        self.format = format
        self.options = options
        self.query = query
        self.location = location
    }

    public static func == (a: InsertDirectory, b: InsertDirectory) -> Bool {
        a.path == b.path && a.local == b.local && a.format == b.format && a.options.map(\.key) == b.options.map(\.key)
            && a.options.map(\.value) == b.options.map(\.value) && a.query == b.query && a.location == b.location
    }
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

/// `CREATE TABLE [IF NOT EXISTS] name [(col type, …)] [USING format] [OPTIONS (…)]
/// [PARTITIONED BY (col, …)] [LOCATION 'path'] [AS query]`.
public struct CreateTable: Equatable, Sendable {
    public var name: String
    public var ifNotExists: Bool
    public var columns: [(name: String, type: SQLTypeName)]
    /// The format, lower-cased (parquet unless USING names another, as in Spark).
    public var format: String
    public var options: [(key: String, value: String)]
    public var partitionColumns: [String]
    /// LOCATION: where the files are (the table is then external).
    public var path: String?
    /// AS query: the rows the table starts with, and its columns.
    public var query: SQLQuery?
    public var location: SourceLocation

    public static func == (a: CreateTable, b: CreateTable) -> Bool {
        a.name == b.name && a.ifNotExists == b.ifNotExists && a.columns.map(\.name) == b.columns.map(\.name)
            && a.columns.map(\.type) == b.columns.map(\.type) && a.format == b.format
            && a.options.map(\.key) == b.options.map(\.key) && a.options.map(\.value) == b.options.map(\.value)
            && a.partitionColumns == b.partitionColumns && a.path == b.path && a.query == b.query && a.location == b.location
    }
}
