/// A JSONPath as `get_json_object` accepts it: `$` followed by `.name`, `['name']` and `[index]`
/// steps (Spark's subset, without wildcards).
struct JSONPath: Hashable {
    enum Step: Hashable {
        case field([UInt8])
        case index(Int)
    }

    let steps: [Step]

    /// Parses a path; nil when it is not one Spark accepts (then the function returns null).
    init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.first == UInt8(ascii: "$") else { return nil }
        var i = 1
        var steps: [Step] = []
        while i < b.count {
            if b[i] == UInt8(ascii: ".") {
                i += 1
                let start = i
                while i < b.count && b[i] != UInt8(ascii: ".") && b[i] != UInt8(ascii: "[") { i += 1 }
                guard i > start else { return nil }
                let name = Array(b[start..<i])
                if name == [UInt8(ascii: "*")] { return nil }
                steps.append(.field(name))
            } else if b[i] == UInt8(ascii: "[") {
                i += 1
                if i < b.count && b[i] == UInt8(ascii: "'") {
                    i += 1
                    let start = i
                    while i < b.count && b[i] != UInt8(ascii: "'") { i += 1 }
                    guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "]") else { return nil }
                    steps.append(.field(Array(b[start..<i])))
                    i += 2
                } else {
                    var n = 0
                    let start = i
                    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, n < 100_000_000 {
                        n = n * 10 + Int(b[i] - 0x30)
                        i += 1
                    }
                    guard i > start, i < b.count, b[i] == UInt8(ascii: "]") else { return nil }
                    steps.append(.index(n))
                    i += 1
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }
}
