import argparse

import yaml


def load(path):
    return yaml.safe_load(open(path).read())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()

    class Dumper(yaml.SafeDumper):
        pass

    for path in args.paths:
        print(yaml.dump(load(path), Dumper=Dumper))
