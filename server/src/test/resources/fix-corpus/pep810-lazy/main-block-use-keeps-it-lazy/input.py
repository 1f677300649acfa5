import sys

import colorama


def handler(event, context):
    return {"body": event["text"]}


if __name__ == "__main__":
    colorama.just_fix_windows_console()
    print(colorama.Fore.RED + " ".join(sys.argv[1:]))
