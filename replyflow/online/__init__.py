"""网上提交: members and deputies draft, gather co-signers and submit online."""
