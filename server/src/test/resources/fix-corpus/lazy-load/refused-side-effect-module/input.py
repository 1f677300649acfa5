import readline


def ask():
    return readline.get_line_buffer()
