import Columnar

/// A data source format plugged into a session from outside the engine (`USING kafka`,
/// `session.read.format("kafka")`, `df.write.format("kafka")`).
///
/// The engine knows files itself; formats that need other modules (a Kafka client) register
/// here, so the engine and SQL never import those modules.
public protocol DataSourceFormat: AnyObject, Sendable {
    /// Opens a table source. `options` keys are lower-cased, as Spark treats them case-insensitively.
    func openTable(options: [String: String], schema: Schema?) throws -> any TableProvider
    /// Writes every row of `frame` with writer options (keys lower-cased).
    func write(_ frame: DataFrame, options: [String: String], mode: SaveMode) throws
}

/// A named schema whose tables live outside the session catalog, such as `topics` (every topic
/// of a cluster): `SELECT … FROM topics.clicks`, `INSERT INTO topics.out SELECT …`.
public protocol TableNamespace: AnyObject, Sendable {
    /// The table called `name`, or nil when there is none.
    func table(_ name: String) throws -> (any TableProvider)?
    /// Appends the rows of `frame` to the table called `name`.
    func insert(_ frame: DataFrame, into name: String) throws
    /// The names of the tables, sorted.
    func tableNames() throws -> [String]
}
