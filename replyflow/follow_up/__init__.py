"""跟踪落实: the list of cases whose B / C (人大 also D) answer is still being carried out."""
