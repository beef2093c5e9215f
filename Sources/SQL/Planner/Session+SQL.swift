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
        case .showTables(let namespaceName, let location):
            let rows: [[Scalar]]
            if let namespaceName {
                guard let namespace = session.catalog.namespace(namespaceName) else {
                    throw SQLError("namespace `\(namespaceName)` is not connected (topics needs --brokers)", at: location)
                }
                rows = try namespace.tableNames().map { [.string(namespaceName), .string($0), .boolean(false)] }
            } else {
                rows = session.catalog.names.map { [.string(""), .string($0), .boolean(true)] }
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
}
