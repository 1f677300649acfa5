class Router:
    def match(self, path):
        def compile_all():
            import re
            return [re.compile(p) for p in self.patterns]
        return any(p.match(path) for p in compile_all())

    def split(self, path):
        import re
        return re.split("/", path)
