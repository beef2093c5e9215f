import Columnar

/// A top-level column of any shape, assembled from repetition and definition levels, in Arrow's
/// layout: lists and maps as offsets into a child, structs as equal-length children, leaves as
/// `ColumnVector`s. (Columnar has no nested types yet; this is the form the engine can adopt.)
public indirect enum NestedColumn: Sendable {
    /// Primitive values, one per slot.
    case leaf(ColumnVector)
    /// `offsets.count == count + 1`; list `i` is `element[offsets[i]..<offsets[i+1]]`.
    case list(offsets: [Int32], validity: Bitmap?, element: NestedColumn)
    /// Children of equal length `count`.
    case structure(names: [String], children: [NestedColumn], validity: Bitmap?, count: Int)
    /// Like a list of (key, value) entries.
    case map(offsets: [Int32], validity: Bitmap?, keys: NestedColumn, values: NestedColumn)

    /// The number of slots.
    public var count: Int {
        switch self {
        case let .leaf(vector): return vector.count
        case let .list(offsets, _, _), let .map(offsets, _, _, _): return offsets.count - 1
        case let .structure(_, _, _, count): return count
        }
    }

    /// True when slot `index` is null.
    public func isNull(_ index: Int) -> Bool {
        switch self {
        case let .leaf(vector): return vector.isNull(index)
        case let .list(_, validity, _), let .map(_, validity, _, _), let .structure(_, _, validity, _):
            return validity.map { !$0[index] } ?? false
        }
    }

    /// Slot `index` as text (slow path for tests and display): `[a, b]`, `{x: 1, y: null}`,
    /// `{k -> v}`; leaves through `renderLeaf`.
    public func render(_ index: Int, renderLeaf: (ColumnVector, Int) -> String) -> String {
        if isNull(index) { return "null" }
        switch self {
        case let .leaf(vector):
            return renderLeaf(vector, index)
        case let .list(offsets, _, element):
            let items = (Int(offsets[index])..<Int(offsets[index + 1])).map { element.render($0, renderLeaf: renderLeaf) }
            return "[" + items.joined(separator: ", ") + "]"
        case let .structure(names, children, _, _):
            let items = zip(names, children).map { "\($0.0): \($0.1.render(index, renderLeaf: renderLeaf))" }
            return "{" + items.joined(separator: ", ") + "}"
        case let .map(offsets, _, keys, values):
            let items = (Int(offsets[index])..<Int(offsets[index + 1])).map {
                "\(keys.render($0, renderLeaf: renderLeaf)) -> \(values.render($0, renderLeaf: renderLeaf))"
            }
            return "{" + items.joined(separator: ", ") + "}"
        }
    }
}
