package dev.mlops.features.pit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.features.JoinKey;
import dev.mlops.features.ValueType;
import dev.mlops.features.pit.HistoricalRetrieval.JoinUnit;
import dev.mlops.features.pit.HistoricalRetrieval.SizedSide;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How retrieval splits views into broadcast and shuffled passes, and the order it runs them in. */
class JoinUnitsTest {
  private static final List<JoinKey> CUSTOMER = List.of(new JoinKey("customer_id", ValueType.BIGINT));
  private static final List<JoinKey> MERCHANT = List.of(new JoinKey("merchant_id", ValueType.BIGINT));

  /** A side with {@code features} features named after {@code name} (no rows needed to plan). */
  private static SizedSide side(String name, int features, long rows) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < features; i++) {
      names.add(name + i);
    }
    return new SizedSide(new AsOfJoin.Side(null, List.of("k"), "ft", "ct", names, names, 0), rows);
  }

  private static List<String> describe(List<JoinUnit> units) {
    return units.stream().map(u -> (u.broadcast() ? "broadcast " : "shuffled ") + u.keys().get(0).name() + " "
        + u.sides().stream().map(s -> s.features().get(0).replaceAll("\\d+$", "")).toList() + " " + u.rows()).toList();
  }

  private static Map<List<JoinKey>, List<SizedSide>> views(SizedSide... customer) {
    Map<List<JoinKey>, List<SizedSide>> byKeys = new LinkedHashMap<>();
    byKeys.put(CUSTOMER, List.of(customer));
    return byKeys;
  }

  @Test
  void theSmallestViewsOfAKeyAreBroadcastWhileTheirRowsTogetherStayWithinTheThreshold() {
    Map<List<JoinKey>, List<SizedSide>> byKeys = views(side("spend", 20, 11_000_000), side("profile", 4, 140_000),
        side("segment", 1, 100_000));
    assertThat(describe(HistoricalRetrieval.joinUnits(byKeys, 250_000)))
        .containsExactly("shuffled customer_id [spend] 11000000", "broadcast customer_id [segment, profile] 240000");
    // At exactly the threshold the view is broadcast; one row less and only the smallest is.
    assertThat(describe(HistoricalRetrieval.joinUnits(byKeys, 240_000)))
        .containsExactly("shuffled customer_id [spend] 11000000", "broadcast customer_id [segment, profile] 240000");
    assertThat(describe(HistoricalRetrieval.joinUnits(byKeys, 239_999)))
        .containsExactly("shuffled customer_id [profile, spend] 11140000", "broadcast customer_id [segment] 100000");
    assertThat(describe(HistoricalRetrieval.joinUnits(byKeys, 20_000_000)))
        .containsExactly("broadcast customer_id [segment, profile, spend] 11240000");
  }

  @Test
  void atZeroNothingWithRowsIsBroadcast() {
    Map<List<JoinKey>, List<SizedSide>> byKeys = views(side("spend", 20, 1_000), side("empty", 2, 0));
    byKeys.put(MERCHANT, List.of(side("risk", 3, 10)));
    assertThat(describe(HistoricalRetrieval.joinUnits(byKeys, 0))).containsExactly("shuffled merchant_id [risk] 10",
        "shuffled customer_id [spend] 1000", "broadcast customer_id [empty] 0");
  }

  @Test
  void shuffledPassesGoNarrowestFirstAndBroadcastOnesLast() {
    Map<List<JoinKey>, List<SizedSide>> byKeys = views(side("spend", 20, 5_000_000));
    byKeys.put(MERCHANT, List.of(side("risk", 3, 2_000_000), side("tiny", 1, 50)));
    byKeys.put(List.of(new JoinKey("device_id", ValueType.STRING)), List.of(side("device", 2, 1_000)));
    assertThat(describe(HistoricalRetrieval.joinUnits(byKeys, 100_000))).containsExactly(
        "shuffled merchant_id [risk] 2000000", "shuffled customer_id [spend] 5000000",
        "broadcast merchant_id [tiny] 50", "broadcast device_id [device] 1000");
  }
}
