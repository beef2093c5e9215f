// SQL module.
