// BrokerServer module.
