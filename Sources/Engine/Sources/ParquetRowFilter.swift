import Columnar
import Parquet

/// The pushed filters of a Parquet scan as row tests the scan runs itself, so that the columns a
/// filter does not read are decoded only at the rows that pass (late materialisation).
///
/// Each conjunct is one test. Tests of fixed-width columns run before those that read strings or
/// binary values, so the costlier comparisons see only the rows the cheap ones keep.
enum ParquetRowFilter {
    /// The tests for `filters` over a table of `schema`; empty when there is nothing to test or a
    /// filter reads something other than a column of `schema` (then the engine's filter above the
    /// scan does all the work).
    static func tests(_ filters: [Expr], schema: Schema) -> [ParquetRowTest] {
        var tests: [(test: ParquetRowTest, readsBytes: Bool)] = []
        for conjunct in filters.flatMap(\.conjuncts) {
            var attributes: [Attribute] = []
            var names: [String] = []
            var seen = Set<AttributeID>()
            var bindable = true
            _ = conjunct.contains(where: { expr in
                if case let .attribute(attribute) = expr, seen.insert(attribute.id).inserted {
                    if let index = schema.index(of: attribute.name) {
                        attributes.append(attribute)
                        names.append(schema.fields[index].name)
                    } else {
                        bindable = false
                    }
                }
                return false
            })
            guard bindable else { return [] }
            // A conjunct without columns (a constant) is left to the engine's filter.
            guard !attributes.isEmpty else { continue }
            let evaluator = ExprEvaluator(input: attributes)
            let readsBytes = attributes.contains { $0.type == .string || $0.type == .binary }
            let test = ParquetRowTest(columns: names) { batch in
                LogicKernel.trueMask(try evaluator.evaluate(conjunct, batch))
            }
            tests.append((test, readsBytes))
        }
        return tests.filter { !$0.readsBytes }.map(\.test) + tests.filter(\.readsBytes).map(\.test)
    }
}
