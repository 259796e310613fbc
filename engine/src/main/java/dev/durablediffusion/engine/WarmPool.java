package dev.durablediffusion.engine;

import dev.durablediffusion.engine.bundle.VerifiedBundle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loaded models kept in memory, least recently used evicted first once their memory passes the
 * budget. A model in use (leased) is never evicted; it is closed when its last lease ends.
 */
public final class WarmPool implements AutoCloseable {

  private final long budgetBytes;
  private final Function<VerifiedBundle, LoadedModel> loader;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Object> loadLocks = new java.util.concurrent.ConcurrentHashMap<>();

  public WarmPool(long budgetBytes, Function<VerifiedBundle, LoadedModel> loader) {
    this.budgetBytes = budgetBytes;
    this.loader = loader;
  }

  /**
   * The model of this bundle version, loading it when it is not warm. Close the lease after use.
   */
  public Lease acquire(VerifiedBundle bundle) {
    String key = bundle.digest();
    synchronized (loadLocks.computeIfAbsent(key, k -> new Object())) {
      synchronized (this) {
        Entry entry = entries.get(key);
        if (entry != null) {
          entry.leases++;
          return new Lease(entry, true, 0);
        }
      }
      long start = System.nanoTime();
      LoadedModel model = loader.apply(bundle);
      long loadMillis = (System.nanoTime() - start) / 1_000_000;
      List<LoadedModel> evicted;
      Entry entry = new Entry(key, model);
      synchronized (this) {
        entries.put(key, entry);
        entry.leases++;
        evicted = evictBeyondBudget();
      }
      evicted.forEach(LoadedModel::close);
      return new Lease(entry, false, loadMillis);
    }
  }

  /** Whether this bundle version is loaded now. */
  public synchronized boolean isWarm(String digest) {
    return entries.containsKey(digest);
  }

  /** Names of the loaded models, most recently used last. */
  public synchronized List<String> warmModels() {
    return entries.values().stream().map(e -> e.model.bundle().name()).toList();
  }

  public synchronized long memoryBytes() {
    return entries.values().stream().mapToLong(e -> e.model.memoryBytes()).sum();
  }

  private List<LoadedModel> evictBeyondBudget() {
    List<LoadedModel> evicted = new ArrayList<>();
    long total = entries.values().stream().mapToLong(e -> e.model.memoryBytes()).sum();
    Iterator<Entry> eldestFirst = entries.values().iterator();
    while (total > budgetBytes && eldestFirst.hasNext()) {
      Entry entry = eldestFirst.next();
      if (entry.leases == 0) {
        eldestFirst.remove();
        total -= entry.model.memoryBytes();
        evicted.add(entry.model);
      }
    }
    return evicted;
  }

  private void release(Entry entry) {
    List<LoadedModel> evicted;
    synchronized (this) {
      entry.leases--;
      evicted = evictBeyondBudget();
    }
    evicted.forEach(LoadedModel::close);
  }

  @Override
  public synchronized void close() {
    entries.values().forEach(e -> e.model.close());
    entries.clear();
  }

  private static final class Entry {
    private final String key;
    private final LoadedModel model;
    private int leases;

    private Entry(String key, LoadedModel model) {
      this.key = key;
      this.model = model;
    }
  }

  /** Use of one loaded model; {@link #warm()} tells whether it was loaded before this request. */
  public final class Lease implements AutoCloseable {
    private final Entry entry;
    private final boolean warm;
    private final long loadMillis;
    private boolean closed;

    private Lease(Entry entry, boolean warm, long loadMillis) {
      this.entry = entry;
      this.warm = warm;
      this.loadMillis = loadMillis;
    }

    @SuppressWarnings("unchecked")
    public <T extends LoadedModel> T model() {
      return (T) entry.model;
    }

    public boolean warm() {
      return warm;
    }

    public long loadMillis() {
      return loadMillis;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(entry);
      }
    }
  }
}
