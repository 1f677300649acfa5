import argparse


def load(path):
    import yaml
    return yaml.safe_load(open(path).read())


if __name__ == "__main__":
    import yaml
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()

    class Dumper(yaml.SafeDumper):
        pass

    for path in args.paths:
        print(yaml.dump(load(path), Dumper=Dumper))
