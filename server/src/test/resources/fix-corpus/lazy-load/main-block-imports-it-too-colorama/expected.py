import sys


def paint(text):
    import colorama
    return colorama.Fore.RED + text + colorama.Style.RESET_ALL


def handler(event, context):
    return {"body": paint(event["text"])}


if __name__ == "__main__":
    import colorama
    colorama.just_fix_windows_console()
    print(paint(" ".join(sys.argv[1:])))
