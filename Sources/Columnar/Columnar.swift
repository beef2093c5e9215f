// Columnar module.
