import colorsys

import tinyplot


def plot(graph):
    hues = tinyplot.palette(len(graph.edges))
    return [colorsys.hsv_to_rgb(hue, 1, 1) for hue in hues]
