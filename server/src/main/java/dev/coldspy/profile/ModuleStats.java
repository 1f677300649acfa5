package dev.coldspy.profile;

import java.util.SortedMap;

/**
 * One module merged over all cold starts of a {@link ProfileSet}.
 *
 * @param name fully qualified module name
 * @param coldStartsImported cold starts in which the module was imported after the agent started
 * @param coldStartsImportedAtInit of those, the ones where it was imported during init
 * @param selfUs self import time over the cold starts that imported it
 * @param cumulativeUs cumulative import time over the cold starts that imported it
 * @param rssDeltaBytes memory growth over the cold starts that measured it (empty when never measured)
 * @param file the most frequent recorded origin path (ties: the smallest string), or null
 * @param parent the most frequent importing module (ties: the smallest name), or null when most often a
 *     top-level import
 * @param triggers how many cold starts each triggering statement imported it in, sorted by trigger
 * @param usage execution-phase usage
 */
public record ModuleStats(
    String name,
    int coldStartsImported,
    int coldStartsImportedAtInit,
    Distribution selfUs,
    Distribution cumulativeUs,
    Distribution rssDeltaBytes,
    String file,
    String parent,
    SortedMap<Trigger, Integer> triggers,
    UsageStats usage) {}
