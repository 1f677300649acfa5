package dev.coldspy.engine;

/**
 * A knowledge-file entry that covers modules an import statement loaded first.
 *
 * @param entry the entry
 * @param costUs median per cold start of the self import time of the covered modules the statement loaded
 * @param modulePath how the statement reached the entry's module, e.g. {@code chameleon -> chameleon.template
 *     -> pkg_resources} (just the module when imported directly)
 * @param usage execution-phase use of the entry's modules (for "light-use" entries)
 */
public record KnowledgeHit(LibraryEntry entry, double costUs, String modulePath, UsageEvidence usage) {}
