"""我的提案 / 我的建议: a member's or deputy's own cases, as they follow them on a phone."""
