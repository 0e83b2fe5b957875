package dev.gkr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which shard a project and a task belong to. The rule: projects are numbered in the order their
 * first key was given, and project {@code p} goes to shard {@code p mod shards}, so each project's
 * keys, and so its quota, are in exactly one shard. A task goes to a shard by a hash of its id,
 * weighted by the shard's capacity (its projects when {@code limits} are declared, since limits are
 * per project; else its keys): the same id always lands in the same shard, which is what lets a
 * rerun find it in that shard's checkpoint. Immutable.
 *
 * @param shards how many shards, {@code 1..projects.size()}
 * @param projects the projects, in order
 * @param buckets the shard of each capacity unit; a task's id hashes to one unit
 */
record Sharding(int shards, List<String> projects, int[] buckets) implements Serializable {

  Sharding {
    projects = List.copyOf(projects);
    buckets = buckets.clone();
  }

  /**
   * {@code wanted} shards (0: one per project) over these projects; {@code unitsPerProject} gives
   * each project's capacity.
   */
  static Sharding of(int wanted, List<String> projects, List<Integer> unitsPerProject) {
    int n = wanted == 0 ? projects.size() : Math.min(wanted, projects.size());
    List<Integer> units = new ArrayList<>();
    for (int p = 0; p < projects.size(); p++)
      for (int u = 0; u < unitsPerProject.get(p); u++) units.add(p % n);
    return new Sharding(n, projects, units.stream().mapToInt(Integer::intValue).toArray());
  }

  int shardOfProject(String project) {
    int p = projects.indexOf(project);
    if (p < 0) throw new IllegalArgumentException("no project " + project);
    return p % shards;
  }

  int shardOfTask(String id) {
    int h = id.hashCode() * 0x9E3779B9; // spread consecutive ids ("t1", "t2", ...)
    return buckets[Math.floorMod(h ^ (h >>> 16), buckets.length)];
  }

  /**
   * What a checkpoint directory records, so that a rerun that would shard differently is refused.
   */
  String describe() {
    return shards + " shards over projects " + projects + ", capacity units " + List.of(boxed());
  }

  private Integer[] boxed() {
    Integer[] out = new Integer[buckets.length];
    for (int i = 0; i < buckets.length; i++) out[i] = buckets[i];
    return out;
  }
}
