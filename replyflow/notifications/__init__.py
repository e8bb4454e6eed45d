"""Notifications to people: in-app rows written in the same transaction as the change."""
