import Columnar
import Parquet

/// The pushed filters of a Parquet scan as row tests the scan runs itself, so that the columns a
/// filter does not read are decoded only at the rows that pass (late materialisation).
///
/// Each conjunct is one test, except that the conjuncts of one same column make one test; a
/// disjunction over several columns also adds the single-column conditions it implies
/// (`impliedColumnConditions`). Tests that can be judged on a string column's dictionary run first
/// (a lookup per row), then tests of fixed-width columns (judged on their dictionary too when it is
/// small), then the other tests of strings or binary values, so the costlier comparisons see only
/// the rows the cheap ones keep.
enum ParquetRowFilter {
    /// The tests for `filters` over a table of `schema`; empty when there is nothing to test or a
    /// filter reads something other than a column of `schema` (then the engine's filter above the
    /// scan does all the work).
    static func tests(_ filters: [Expr], schema: Schema) -> [ParquetRowTest] {
        // Conjuncts with their columns; those of one and the same column are joined into one test, so
        // that the column is read (or its dictionary judged) once for all of them.
        var parts: [(expr: Expr, attributes: [Attribute], names: [String])] = []
        var singleColumnPart: [AttributeID: Int] = [:]
        var conjuncts = filters.flatMap(\.conjuncts)
        for conjunct in conjuncts {
            for implied in impliedColumnConditions(conjunct) where !conjuncts.contains(implied) { conjuncts.append(implied) }
        }
        for conjunct in conjuncts {
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
            if attributes.count == 1, let at = singleColumnPart[attributes[0].id] {
                parts[at].expr = .binary(.and, parts[at].expr, conjunct)
                continue
            }
            if attributes.count == 1 { singleColumnPart[attributes[0].id] = parts.count }
            parts.append((conjunct, attributes, names))
        }
        var tests: [(test: ParquetRowTest, rank: Int)] = []
        for (expr, attributes, names) in parts {
            let evaluator = ExprEvaluator(input: attributes)
            let readsBytes = attributes.contains { $0.type == .string || $0.type == .binary }
            let valueWise = isValueWise(expr)
            var test = ParquetRowTest(columns: names, valueWise: valueWise) { batch in
                LogicKernel.trueMask(try evaluator.evaluate(expr, batch))
            }
            // LIKE, = and IN of one string column: judged on the values where they lie when the scan
            // does not output the column.
            if valueWise, attributes.count == 1, let inPlace = StringValueTest.compile(expr, column: attributes[0].id) {
                test.judgesValues = { values in inPlace.bits(values) }
            }
            tests.append((test, !readsBytes ? 1 : (valueWise && attributes.count == 1 ? 0 : 2)))
        }
        return (0...2).flatMap { rank in tests.filter { $0.rank == rank }.map(\.test) }
    }

    /// For each of `filters`, whether the tests `tests(filters, schema:)` makes apply it exactly: they
    /// do when every filter reads only columns of `schema` (else no test is made at all) and the
    /// filter's every conjunct reads a column (a constant conjunct is left to the engine).
    static func exactness(_ filters: [Expr], schema: Schema) -> [Bool] {
        let bindable = filters.allSatisfy { filter in
            !filter.contains(where: { expr in
                if case let .attribute(attribute) = expr { return schema.index(of: attribute.name) == nil }
                return false
            })
        }
        guard bindable else { return filters.map { _ in false } }
        return filters.map { filter in filter.conjuncts.allSatisfy { !$0.references.isEmpty } }
    }

    /// The columns of `schema` that `filters` read and `columns` (field indexes) leave out, in order
    /// of first use: a scan reads them for its filters without outputting them.
    static func extraColumns(_ filters: [Expr], schema: Schema, columns: [Int]) -> [Int] {
        var extra: [Int] = []
        for filter in filters {
            _ = filter.contains(where: { expr in
                if case let .attribute(attribute) = expr, let index = schema.index(of: attribute.name),
                   !columns.contains(index), !extra.contains(index) {
                    extra.append(index)
                }
                return false
            })
        }
        return extra
    }

    /// For a disjunction over several columns, the single-column conditions it implies: for each
    /// column that every branch constrains on its own, the OR over the branches of those
    /// constraints (see `InferFiltersFromDisjunctions`). TPC-H Q19's
    /// `(brand = 'A' AND container IN (…) AND size <= 5) OR (brand = 'B' AND …) OR …` implies
    /// `brand = 'A' OR brand = 'B' OR …`, which is judged once per dictionary value, so the whole
    /// disjunction is evaluated only at the few rows that pass each column's part. The disjunction
    /// itself stays a test (the implied conditions are necessary, not sufficient); only value-wise
    /// conditions are derived, so a derived test cannot fail where the original would not.
    static func impliedColumnConditions(_ expr: Expr) -> [Expr] {
        let branches = expr.disjuncts
        guard branches.count > 1, isValueWise(expr) else { return [] }
        // The columns in order of first use, so that the tests come out in a stable order.
        var columns: [AttributeID] = []
        _ = expr.contains(where: { node in
            if case let .attribute(attribute) = node, !columns.contains(attribute.id) { columns.append(attribute.id) }
            return false
        })
        guard columns.count > 1 else { return [] }
        return columns.compactMap { InferFiltersFromDisjunctions.derive(branches, [$0]) }
    }

    /// Whether `expr` judges a row by its own values alone, gives the same answer for the same
    /// values and cannot fail: column references, literals, comparisons, AND, OR, NOT, IN lists,
    /// BETWEEN, IS [NOT] NULL and LIKE with a literal pattern. Such a test may be judged on the
    /// distinct values of a dictionary, values no remaining row holds included.
    static func isValueWise(_ expr: Expr) -> Bool {
        switch expr {
        case .attribute, .literal:
            return true
        case let .binary(op, left, right):
            return (op.isComparison || op == .and || op == .or) && isValueWise(left) && isValueWise(right)
        case let .unary(.not, operand), let .isNull(operand, _):
            return isValueWise(operand)
        case let .inList(value, items, _):
            return isValueWise(value) && items.allSatisfy(isValueWise)
        case let .between(value, low, high, _):
            return isValueWise(value) && isValueWise(low) && isValueWise(high)
        case let .like(value, .literal, _, _):
            return isValueWise(value)
        default:
            return false
        }
    }
}
