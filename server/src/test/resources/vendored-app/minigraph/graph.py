class Graph:
    def __init__(self, edges):
        self.edges = list(edges)

    def degree(self):
        return 2 * len(self.edges)
