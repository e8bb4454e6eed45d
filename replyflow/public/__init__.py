"""政务公开: the replies whose disclosure is 公开, once delivered, for everyone without a login."""
