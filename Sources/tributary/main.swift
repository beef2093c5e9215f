// The `tributary` executable. Every command lives in the TributaryCLI library (where the tests reach
// it); this target exists so that the executable alone links the Swift runtime and Foundation statically
// (see Package.swift).
import TributaryCLI

TributaryMain.main()
