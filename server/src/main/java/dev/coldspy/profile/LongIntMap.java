package dev.coldspy.profile;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} to non-negative {@code int}, for the call-tree builder's
 * (parent node, frame) → child lookups: no boxing, and keys are mixed before hashing ({@code Long.hashCode}
 * would XOR the two halves, so that many (parent, frame) pairs collide).
 */
final class LongIntMap {
  private static final int ABSENT = -1;

  private long[] keys;
  private int[] values;
  private int size;

  LongIntMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(values, ABSENT);
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    int mask = keys.length - 1;
    for (int slot = slot(key, mask); values[slot] != ABSENT; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return values[slot];
      }
    }
    return ABSENT;
  }

  /** Maps {@code key} to {@code value} (not negative). */
  void put(long key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (values[slot] != ABSENT && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    if (values[slot] == ABSENT) {
      size++;
    }
    keys[slot] = key;
    values[slot] = value;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldValues.length * 2];
    Arrays.fill(values, ABSENT);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != ABSENT) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** MurmurHash3's 64-bit finalizer: every key bit affects every slot bit. */
  private static int slot(long key, int mask) {
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h & mask;
  }
}
