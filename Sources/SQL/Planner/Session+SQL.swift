import Foundation
import Columnar
import Engine

extension Session {
    /// Runs one SQL statement, as Spark's `spark.sql` does. A query returns a lazily evaluated
    /// DataFrame; CREATE / DROP VIEW act at once and return an empty one; SHOW TABLES, DESCRIBE
    /// and EXPLAIN return their answer as rows.
    ///
    /// Syntax errors are `SQLError`s pointing at the offending token; name and type errors are the
    /// analyzer's `EngineError`s, which carry the position of the column at fault.
    public func sql(_ text: String) throws -> DataFrame {
        try SQLStatementRunner(session: self).run(try Parser.parseStatement(text))
    }

    /// The session's warehouse of persistent tables, plugged into its catalog at first use.
    var warehouse: Warehouse {
        catalog.attachPersistentTables { Warehouse(session: self) }
        return catalog.persistentTables as! Warehouse
    }
}

/// Carries out parsed statements against a session.
public struct SQLStatementRunner {
    /// The session the statements run in.
    public let session: Session

    /// A runner for `session`.
    public init(session: Session) {
        self.session = session
    }

    /// Runs one statement.
    public func run(_ statement: SQLStatement) throws -> DataFrame {
        _ = session.warehouse
        switch statement {
        case .query(let q):
            return try session.dataFrame(try SQLPlanner(session: session).plan(q))
        case .createView(let view):
            try createView(view)
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .dropView(let name, let ifExists, let location):
            if !session.catalog.drop(name) && !ifExists {
                throw SQLError("view `\(name)` does not exist", at: location)
            }
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .createTable(let table):
            try createTable(table)
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .dropTable(let name, let ifExists, let location):
            if session.catalog.drop(name) { return try session.createDataFrame([[Scalar]](), schema: Schema([])) }
            let warehouse = session.warehouse
            guard let table = Warehouse.tableName(name.split(separator: ".").map(String.init)),
                  try warehouse.definition(table) != nil else {
                if ifExists { return try session.createDataFrame([[Scalar]](), schema: Schema([])) }
                throw SQLError("table `\(name)` does not exist", at: location)
            }
            try warehouse.drop(table)
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .set(let key, let value, _):
            if let key, let value {
                // Setting answers with no rows, so that scripts print only their queries' results.
                try session.conf.set(key, value)
                return try session.createDataFrame([[Scalar]](), schema: Schema([]))
            }
            let keys = key.map { [$0] } ?? [RuntimeConfig.timeZoneKey]
            let rows: [[Scalar]] = keys.map { k in
                [.string(k), .string(session.conf.get(k) ?? (k.lowercased() == RuntimeConfig.timeZoneKey.lowercased() ? "UTC" : "<undefined>"))]
            }
            return try session.createDataFrame(rows, schema: Schema([Field("key", .string, nullable: false), Field("value", .string)]))
        case .showFunctions(let pattern):
            // Spark's SHOW FUNCTIONS patterns: `*` for any characters, `|` between alternatives.
            let alternatives = pattern.map { $0.lowercased().split(separator: "|").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let names = FunctionRegistry.allNames.filter { name in
                !name.hasPrefix("__") && (alternatives.map { $0.contains { Self.matches(name, $0) } } ?? true)
            }
            return try session.createDataFrame(names.map { [.string($0)] }, schema: Schema([Field("function", .string, nullable: false)]))
        case .showDatabases:
            let names = (["default"] + session.catalog.namespaceNames).sorted()
            return try session.createDataFrame(names.map { [.string($0)] }, schema: Schema([Field("namespace", .string, nullable: false)]))
        case .showTables(let namespaceName, let location):
            let rows: [[Scalar]]
            if let namespaceName {
                guard let namespace = session.catalog.namespace(namespaceName) else {
                    throw SQLError("namespace `\(namespaceName)` is not connected (topics needs --brokers)", at: location)
                }
                rows = try namespace.tableNames().map { [.string(namespaceName), .string($0), .boolean(false)] }
            } else {
                rows = session.warehouse.names().map { [.string("default"), .string($0), .boolean(false)] }
                    + session.catalog.names.map { [.string(""), .string($0), .boolean(true)] }
            }
            return try session.createDataFrame(rows, schema: Schema([
                Field("namespace", .string, nullable: false), Field("tableName", .string, nullable: false),
                Field("isTemporary", .boolean, nullable: false),
            ]))
        case .describe(let target):
            let frame: DataFrame
            switch target {
            case .table(let name, let location):
                // A view, or a table of a connected namespace (`topics.clicks`), as a query would find it.
                do {
                    frame = try session.table(name)
                } catch EngineError.tableNotFound {
                    throw SQLError("table or view `\(name)` cannot be found", at: location)
                }
            case .query(let q):
                frame = try session.dataFrame(try SQLPlanner(session: session).plan(q))
            }
            let rows: [[Scalar]] = frame.schema.fields.map { [.string($0.name), .string($0.type.description), .null] }
            return try session.createDataFrame(rows, schema: Schema([
                Field("col_name", .string, nullable: false), Field("data_type", .string, nullable: false),
                Field("comment", .string),
            ]))
        case .insert(let target, let query, let overwrite, let location):
            try insert(into: target, query, overwrite: overwrite, at: location)
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .insertOverwriteDirectory(let insert):
            try insertOverwriteDirectory(insert)
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .cacheTable(let name, let lazy, let query, let location):
            try cacheTable(name, lazy: lazy, query: query, at: location)
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .uncacheTable(let name, let ifExists, let location):
            guard session.catalog.lookup(name) != nil else {
                if ifExists { return try session.createDataFrame([[Scalar]](), schema: Schema([])) }
                throw SQLError("table or view `\(name)` cannot be found", at: location)
            }
            try session.table(name).unpersist()
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .clearCache:
            session.cacheManager.clear()
            return try session.createDataFrame([[Scalar]](), schema: Schema([]))
        case .explain(let inner, let mode):
            guard case .query = inner else {
                return try textFrame("EXPLAIN applies to queries only")
            }
            let frame = try run(inner)
            return try textFrame(try frame.explainString(extended: mode == "EXTENDED"))
        }
    }

    /// Runs the query and replaces the directory's contents with its rows, as Spark does.
    private func insertOverwriteDirectory(_ insert: InsertDirectory) throws {
        let frame = try session.dataFrame(try SQLPlanner(session: session).plan(insert.query))
        var writer = try frame.write.mode("overwrite").format(insert.format)
        for (key, value) in insert.options { writer = writer.option(key, value) }
        try writer.save(insert.path)
    }

    /// Marks a view for caching (creating it from `query` first when given) and, unless `lazy`,
    /// computes its rows now, as Spark's CACHE TABLE does.
    private func cacheTable(_ name: String, lazy: Bool, query: SQLQuery?, at location: SourceLocation) throws {
        if let query {
            try createView(CreateView(name: name, orReplace: false, ifNotExists: false, columns: [], source: .query(query),
                                      location: location))
        }
        guard session.catalog.lookup(name) != nil else {
            throw SQLError("table or view `\(name)` cannot be found", at: location)
        }
        let frame = try session.table(name).cache()
        if !lazy { _ = try frame.count() }
    }

    private func textFrame(_ text: String) throws -> DataFrame {
        try session.createDataFrame([[.string(text)]], schema: Schema([Field("plan", .string, nullable: false)]))
    }

    private func createView(_ view: CreateView) throws {
        if session.catalog.lookup(view.name) != nil {
            if view.ifNotExists { return }
            guard view.orReplace else {
                throw SQLError("temporary view `\(view.name)` already exists; use CREATE OR REPLACE", at: view.location)
            }
        }
        switch view.source {
        case .dataSource(let format, let options):
            if let plugged = session.catalog.format(format) {
                try createPluggedView(view, plugged, options)
                return
            }
            guard let path = options.first(where: { $0.key.lowercased() == "path" })?.value else {
                throw SQLError("USING \(format) needs OPTIONS (path '…')", at: view.location)
            }
            var schema: Schema?
            if !view.columns.isEmpty {
                var fields: [Field] = []
                for c in view.columns {
                    guard let t = c.type else {
                        throw SQLError("column `\(c.name)` of a data source view needs a type", at: view.location)
                    }
                    fields.append(Field(c.name, try SQLPlanner.dataType(t, at: view.location)))
                }
                schema = Schema(fields)
            }
            let plan = try FileRelation.plan(session: session, format: format, path: path, options: options,
                                             schema: schema, at: view.location)
            session.catalog.register(view.name, plan: try session.analyze(plan))
        case .query(let q):
            var query = q
            var plan: LogicalPlan
            let names = view.columns.map(\.name)
            if !names.isEmpty, let renamed = SQLPlanner.renamingOutputs(of: q, to: names) {
                query = renamed
                plan = try SQLPlanner(session: session).plan(query)
            } else {
                plan = try SQLPlanner(session: session).plan(query)
                if !names.isEmpty { plan = try SQLPlanner(session: session).renameEagerly(plan, to: names, at: view.location) }
            }
            session.catalog.register(view.name, plan: try session.analyze(plan))
        }
    }

    /// `CREATE TEMP VIEW v USING kafka OPTIONS (…)`: a view over a format plugged into the session.
    private func createPluggedView(_ view: CreateView, _ format: any DataSourceFormat,
                                   _ options: [(key: String, value: String)]) throws {
        if !view.columns.isEmpty {
            throw SQLError("a USING view of this format takes its columns from the source; leave out the column list",
                           at: view.location)
        }
        var map: [String: String] = [:]
        for (k, v) in options { map[k.lowercased()] = v }
        let table = try format.openTable(options: map, schema: nil)
        session.catalog.register(view.name, plan: try session.analyze(.scan(ScanRelation(table: table))))
    }

    /// `INSERT INTO ns.table query`: appends the query's rows to a table of a plugged-in namespace.
    private func insert(into target: [String], _ query: SQLQuery, overwrite: Bool, at location: SourceLocation) throws {
        let name = target.joined(separator: ".")
        if let table = Warehouse.tableName(target), let definition = try session.warehouse.definition(table) {
            let frame = try session.dataFrame(try SQLPlanner(session: session).plan(query))
            do {
                try session.warehouse.write(frame, into: table, definition, overwrite: overwrite)
            } catch let error as EngineError {
                throw SQLError("\(error)", at: location)
            }
            return
        }
        guard target.count == 2, let namespace = session.catalog.namespace(target[0]) else {
            throw SQLError("cannot INSERT INTO `\(name)`: only tables of a connected namespace (such as topics.<name>) "
                           + "take inserts; temporary views are read-only", at: location)
        }
        if overwrite {
            throw SQLError("INSERT OVERWRITE is not supported for `\(name)`: a topic can only be appended to", at: location)
        }
        let frame = try session.dataFrame(try SQLPlanner(session: session).plan(query))
        try namespace.insert(frame, into: target[1])
    }

    /// CREATE TABLE: the definition saved in the warehouse, and the rows of AS query written.
    private func createTable(_ table: CreateTable) throws {
        let warehouse = session.warehouse
        guard let name = Warehouse.tableName(table.name.split(separator: ".").map(String.init)) else {
            throw SQLError("tables can only be created in the default database, not as `\(table.name)`", at: table.location)
        }
        guard ["parquet", "csv", "json"].contains(table.format) else {
            throw SQLError("tables can be stored as parquet, csv or json, not \(table.format)", at: table.location)
        }
        if try warehouse.definition(name) != nil {
            if table.ifNotExists { return }
            throw SQLError("table `\(name)` already exists", at: table.location)
        }
        var frame: DataFrame?
        var schema: Schema
        if let query = table.query {
            guard table.columns.isEmpty else {
                throw SQLError("CREATE TABLE … AS SELECT takes its columns from the query; leave out the column list",
                               at: table.location)
            }
            let f = try session.dataFrame(try SQLPlanner(session: session).plan(query))
            frame = f
            schema = f.schema
        } else if table.columns.isEmpty {
            // A table over files already there (LOCATION) takes their columns, as Spark infers them.
            guard let path = table.path, DataFiles.holdsData(path) else {
                throw SQLError("CREATE TABLE needs a column list, AS SELECT, or a LOCATION holding data files",
                               at: table.location)
            }
            let plan = try FileRelation.plan(session: session, format: table.format, path: path, options: table.options,
                                             schema: nil, at: table.location)
            schema = Schema(try session.dataFrame(plan).schema.fields)
        } else {
            schema = Schema(try table.columns.map { Field($0.name, try SQLPlanner.dataType($0.type, at: table.location)) })
        }
        // Partition columns come last, where a read of the partitioned files puts them.
        for column in table.partitionColumns where !schema.fields.contains(where: { $0.name.lowercased() == column.lowercased() }) {
            throw SQLError("the partition column `\(column)` is not a column of the table", at: table.location)
        }
        if !table.partitionColumns.isEmpty && table.format != "parquet" {
            throw SQLError("PARTITIONED BY is supported for parquet tables only", at: table.location)
        }
        let isPartition = { (f: Field) in table.partitionColumns.contains { $0.lowercased() == f.name.lowercased() } }
        schema = Schema(schema.fields.filter { !isPartition($0) } + schema.fields.filter(isPartition))
        let definition = Warehouse.Definition(
            format: table.format, schema: Warehouse.ddl(schema),
            options: Dictionary(table.options.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last }),
            partitionColumns: table.partitionColumns, location: table.path)
        let path = warehouse.dataPath(name, definition)
        if table.path == nil, DataFiles.holdsData(path) {
            throw SQLError("the directory of table `\(name)` (\(path)) already holds files", at: table.location)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try warehouse.save(name, definition)
        if let frame {
            do {
                let ordered = try session.dataFrame(.project(schema.fields.map { f in
                    .attribute(frame.plan.output.first { $0.name.lowercased() == f.name.lowercased() }!)
                }, frame.plan))
                try warehouse.write(ordered, into: name, definition, overwrite: true)
            } catch {
                try? warehouse.drop(name)
                throw error
            }
        }
    }

    /// Whether `name` matches a SHOW FUNCTIONS pattern, where `*` stands for any characters.
    static func matches(_ name: String, _ pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return name == pattern }
        guard name.hasPrefix(parts[0]), name.hasSuffix(parts[parts.count - 1]) else { return false }
        var rest = Substring(name.dropFirst(parts[0].count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let r = rest.range(of: middle) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.count >= parts[parts.count - 1].count
    }
}
