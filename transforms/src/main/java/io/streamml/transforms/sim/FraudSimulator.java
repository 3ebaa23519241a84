package io.streamml.transforms.sim;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Card transactions with learnable fraud. Each card has a home country, a typical spend and an
 * online habit. Fraud comes in episodes on one card: a burst of large purchases abroad, mostly
 * online, minutes apart; or card testing, a run of tiny digital purchases followed by a big one.
 * After the shift time, spend rises and more of it is online and abroad.
 *
 * <p>Events are generated in blocks of {@value #BLOCK} (so an episode's transactions are close in
 * index and time); a block is a pure function of the seed and its number.
 */
final class FraudSimulator implements EventSimulator {

  static final int BLOCK = 100;
  static final long MEAN_GAP_MILLIS = 1_000;
  private static final int DEFAULT_CARDS = 2_000;
  private static final int MERCHANTS = 500;
  private static final double EPISODES_PER_BLOCK = 0.25;

  private static final String[] COUNTRIES = {"DE", "FR", "GB", "NL", "ES", "IT", "PL", "SE", "CH"};
  private static final String[] CURRENCIES = {
    "EUR", "EUR", "GBP", "EUR", "EUR", "EUR", "PLN", "SEK", "CHF"
  };
  private static final double[] HOME_WEIGHTS = {5, 4, 4, 2, 3, 3, 2, 1, 1};
  private static final String[] CATEGORIES = {
    "grocery", "fuel", "restaurant", "fashion", "electronics", "travel", "digital_goods", "cash"
  };
  private static final double[] CATEGORY_WEIGHTS = {25, 12, 18, 12, 8, 5, 12, 8};
  private static final double[] CATEGORY_SPEND = {1.0, 1.4, 0.9, 1.8, 4.0, 6.0, 0.6, 2.5};
  private static final int ELECTRONICS = 4;
  private static final int TRAVEL = 5;
  private static final int DIGITAL = 6;
  private static final int CASH = 7;

  private final SimulatorConfig config;
  private final UseCaseSpec spec;
  private final int cards;
  private transient long cachedBlock = -1;
  private transient @Nullable List<Row> cachedEvents;

  FraudSimulator(SimulatorConfig config) {
    this.config = config;
    this.spec = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
    this.cards = config.entities() > 0 ? config.entities() : DEFAULT_CARDS;
  }

  @Override
  public UseCaseSpec spec() {
    return spec;
  }

  @Override
  public Row event(long index) {
    long block = index / BLOCK;
    List<Row> events = cachedEvents;
    if (events == null || cachedBlock != block) {
      events = generateBlock(block);
      cachedEvents = events;
      cachedBlock = block;
    }
    return events.get((int) (index % BLOCK));
  }

  @Override
  public Instant timeLowerBound(long index) {
    return blockStart(index / BLOCK);
  }

  private Instant blockStart(long block) {
    return config.startTime().plus(block * BLOCK * MEAN_GAP_MILLIS);
  }

  private List<Row> generateBlock(long block) {
    SplittableRandom random = SimRandom.of(config.seed(), "fraud-block", block);
    long start = blockStart(block).getMillis();
    long span = BLOCK * MEAN_GAP_MILLIS;
    List<Draft> drafts = new ArrayList<>(BLOCK);
    if (random.nextDouble() < EPISODES_PER_BLOCK) {
      addEpisode(random, start + random.nextLong(span), drafts);
    }
    while (drafts.size() < BLOCK) {
      drafts.add(normal(random, start + random.nextLong(span)));
    }
    drafts.sort(Comparator.comparingLong(d -> d.timeMillis));
    List<Row> rows = new ArrayList<>(BLOCK);
    for (int slot = 0; slot < BLOCK; slot++) {
      rows.add(drafts.get(slot).toRow("tx-" + (block * BLOCK + slot)));
    }
    return rows;
  }

  private Draft normal(SplittableRandom random, long timeMillis) {
    int card = random.nextInt(cards);
    CardProfile profile = profile(card);
    boolean shifted = config.isShifted(new Instant(timeMillis));
    int merchant = random.nextInt(MERCHANTS);
    int category = merchantCategory(merchant);
    double onlineShare = profile.onlineShare + (shifted ? 0.3 : 0.0);
    String channel =
        category == CASH
            ? "atm"
            : category == DIGITAL || random.nextDouble() < onlineShare ? "online" : "pos";
    double abroad = shifted ? 0.10 : 0.03;
    int country = random.nextDouble() < abroad ? random.nextInt(COUNTRIES.length) : profile.home;
    double amount =
        profile.typicalSpend
            * CATEGORY_SPEND[category]
            * Math.exp(0.6 * SimRandom.gaussian(random))
            * (shifted ? 1.7 : 1.0);
    return new Draft(timeMillis, card, merchant, category, amount, country, channel, false);
  }

  /** A compromised card's transactions, all labelled fraud, starting at {@code start}. */
  private void addEpisode(SplittableRandom random, long start, List<Draft> drafts) {
    int card = random.nextInt(cards);
    CardProfile profile = profile(card);
    int country = random.nextDouble() < 0.8 ? foreign(random, profile.home) : profile.home;
    long time = start;
    if (random.nextDouble() < 0.6) {
      int count = 3 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        int category = new int[] {ELECTRONICS, TRAVEL, 3, DIGITAL}[random.nextInt(4)];
        String channel = random.nextDouble() < 0.75 ? "online" : "pos";
        double amount =
            profile.typicalSpend * CATEGORY_SPEND[category] * (2 + 4 * random.nextDouble());
        drafts.add(
            new Draft(
                time, card, random.nextInt(MERCHANTS), category, amount, country, channel, true));
        time += 5_000 + random.nextLong(35_000);
      }
    } else {
      int probes = 3 + random.nextInt(5);
      for (int i = 0; i < probes; i++) {
        double amount = 0.5 + 2.5 * random.nextDouble();
        drafts.add(
            new Draft(
                time, card, random.nextInt(MERCHANTS), DIGITAL, amount, country, "online", true));
        time += 3_000 + random.nextLong(17_000);
      }
      int category = random.nextBoolean() ? ELECTRONICS : TRAVEL;
      double amount =
          profile.typicalSpend * CATEGORY_SPEND[category] * (5 + 5 * random.nextDouble());
      drafts.add(
          new Draft(
              time, card, random.nextInt(MERCHANTS), category, amount, country, "online", true));
    }
  }

  private static int foreign(SplittableRandom random, int home) {
    int country = random.nextInt(COUNTRIES.length - 1);
    return country >= home ? country + 1 : country;
  }

  private int merchantCategory(int merchant) {
    return SimRandom.weighted(SimRandom.of(config.seed(), "merchant", merchant), CATEGORY_WEIGHTS);
  }

  private CardProfile profile(int card) {
    SplittableRandom random = SimRandom.of(config.seed(), "card", card);
    int home = SimRandom.weighted(random, HOME_WEIGHTS);
    double typicalSpend = Math.exp(3.0 + 0.5 * SimRandom.gaussian(random));
    double onlineShare = 0.15 + 0.35 * random.nextDouble();
    return new CardProfile(home, typicalSpend, onlineShare);
  }

  private static final class CardProfile {
    final int home;
    final double typicalSpend;
    final double onlineShare;

    CardProfile(int home, double typicalSpend, double onlineShare) {
      this.home = home;
      this.typicalSpend = typicalSpend;
      this.onlineShare = onlineShare;
    }
  }

  /** A transaction before it has its id (ids follow time order within a block). */
  private final class Draft {
    final long timeMillis;
    final int card;
    final int merchant;
    final int category;
    final double amount;
    final int country;
    final String channel;
    final boolean fraud;

    Draft(
        long timeMillis,
        int card,
        int merchant,
        int category,
        double amount,
        int country,
        String channel,
        boolean fraud) {
      this.timeMillis = timeMillis;
      this.card = card;
      this.merchant = merchant;
      this.category = category;
      this.amount = amount;
      this.country = country;
      this.channel = channel;
      this.fraud = fraud;
    }

    Row toRow(String transactionId) {
      return Row.withSchema(spec.eventSchema())
          .withFieldValue("transaction_id", transactionId)
          .withFieldValue("card_id", String.format("card-%05d", card))
          .withFieldValue("merchant_id", String.format("m-%04d", merchant))
          .withFieldValue("merchant_category", CATEGORIES[category])
          .withFieldValue("amount", SimRandom.round(Math.max(0.01, amount), 2))
          .withFieldValue("currency", CURRENCIES[country])
          .withFieldValue("country", COUNTRIES[country])
          .withFieldValue("channel", channel)
          .withFieldValue("event_time", new Instant(timeMillis))
          .withFieldValue("is_fraud", fraud)
          .build();
    }
  }
}
