package dev.coldspy.engine;

/**
 * A module an import statement loaded first, with its import cost (medians over the cold starts that
 * imported it).
 *
 * @param name fully qualified module name
 * @param selfUs import time excluding nested imports
 * @param cumulativeUs import time including nested imports
 * @param rssDeltaBytes resident memory growth across its import, or -1 when not measured
 */
public record LoadedModule(String name, double selfUs, double cumulativeUs, double rssDeltaBytes) {}
