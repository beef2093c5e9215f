// LogStorage module.
