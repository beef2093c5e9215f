// Broker module.
