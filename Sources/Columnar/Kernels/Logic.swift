/// Three-valued boolean logic on boolean columns (SQL's Kleene logic).
public enum LogicKernel {
    private static func parts(_ c: ColumnVector) -> (values: Bitmap, valid: Bitmap) {
        let valid = Validity.of(c)
        if case let .boolean(v) = c.storage { return (v, valid) }
        return (Bitmap(count: c.count, value: false), valid)
    }

    /// `a AND b`: false if either is false, else null if either is null, else true.
    public static func and(_ a: ColumnVector, _ b: ColumnVector) -> ColumnVector {
        let (av, aok) = parts(a), (bv, bok) = parts(b)
        let aFalse = aok & ~av, bFalse = bok & ~bv
        let isFalse = aFalse | bFalse
        let valid = isFalse | (aok & bok)
        let values = av & bv & valid
        return ColumnVector(type: .boolean, count: a.count, storage: .boolean(values), validity: valid)
    }

    /// `a OR b`: true if either is true, else null if either is null, else false.
    public static func or(_ a: ColumnVector, _ b: ColumnVector) -> ColumnVector {
        let (av, aok) = parts(a), (bv, bok) = parts(b)
        let isTrue = (av & aok) | (bv & bok)
        let valid = isTrue | (aok & bok)
        return ColumnVector(type: .boolean, count: a.count, storage: .boolean(isTrue), validity: valid)
    }

    /// `NOT a` (null stays null).
    public static func not(_ a: ColumnVector) -> ColumnVector {
        let (av, aok) = parts(a)
        return ColumnVector(type: .boolean, count: a.count, storage: .boolean(~av & aok), validity: a.validity)
    }

    /// `a IS NULL` / `IS NOT NULL`; never null.
    public static func isNull(_ a: ColumnVector, negated: Bool) -> ColumnVector {
        let valid = Validity.of(a)
        return ColumnVector(type: .boolean, count: a.count, storage: .boolean(negated ? valid : ~valid), validity: nil)
    }

    /// The rows where a predicate result is true (null counts as false), as a mask.
    public static func trueMask(_ a: ColumnVector) -> Bitmap {
        let (av, aok) = parts(a)
        return av & aok
    }
}
