#include "pipeline/page_codec.h"

#include <gtest/gtest.h>

#include "pipeline/spool_sink.h"
#include "support/temp_dir.h"

namespace bookbridge::agent::pipeline {
namespace {

nlohmann::json record(int i) {
  return {{"id", "inv-" + std::to_string(i)}, {"amount", i * 1.5}, {"note", "Zürich €"}};
}

TEST(PageCodecTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(PageCodecTest, ZstdRoundTrip) {
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    text += record(i).dump() + "\n";
  }
  auto packed = zstd_compress(text);
  ASSERT_TRUE(packed);
  EXPECT_LT(packed->size(), text.size() / 3);
  auto unpacked = zstd_decompress(*packed);
  ASSERT_TRUE(unpacked);
  EXPECT_EQ(*unpacked, text);
}

TEST(PageCodecTest, DecompressRefusesGarbageTruncationAndBombs) {
  EXPECT_FALSE(zstd_decompress("definitely not zstd"));
  const std::string big(1 << 20, 'a');
  auto packed = zstd_compress(big);
  ASSERT_TRUE(packed);
  EXPECT_FALSE(zstd_decompress(std::string_view(*packed).substr(0, packed->size() / 2)));
  EXPECT_FALSE(zstd_decompress(*packed, 1000));  // larger than allowed
  EXPECT_TRUE(zstd_decompress(*packed, big.size()));
}

TEST(PageCodecTest, PageBuilderCutsAtRecordLimitAndEncodesNdjson) {
  PageBuilder builder(3);
  builder.add(record(1));
  builder.add(record(2));
  EXPECT_FALSE(builder.full());
  builder.add(record(3));
  EXPECT_TRUE(builder.full());
  auto page = builder.finish();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->records, 3u);
  EXPECT_TRUE(builder.empty());
  auto text = zstd_decompress(page->compressed);
  ASSERT_TRUE(text);
  EXPECT_EQ(page->sha256, sha256_hex(*text));
  EXPECT_EQ(page->raw_bytes, text->size());
  std::vector<nlohmann::json> back;
  EXPECT_TRUE(for_each_record(*text, [&back](nlohmann::json&& r) {
    back.push_back(std::move(r));
    return true;
  }));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[2], record(3));
}

TEST(PageCodecTest, PageBuilderCutsAtByteLimit) {
  PageBuilder builder(1000, 200);
  int added = 0;
  while (!builder.full()) {
    builder.add(record(added++));
  }
  EXPECT_LT(added, 1000);
  EXPECT_GT(added, 1);
}

TEST(PageCodecTest, SameRecordsGiveTheSameHash) {
  PageBuilder a;
  PageBuilder b;
  for (int i = 0; i < 10; ++i) {
    a.add(record(i));
    b.add(record(i));
  }
  EXPECT_EQ(a.finish()->sha256, b.finish()->sha256);
}

TEST(PageCodecTest, ForEachRecordRejectsNonObjects) {
  EXPECT_FALSE(for_each_record("{\"a\":1}\n[1,2]\n", [](nlohmann::json&&) { return true; }));
  EXPECT_FALSE(for_each_record("{\"a\":1}\nnot json\n", [](nlohmann::json&&) { return true; }));
  int count = 0;
  EXPECT_TRUE(for_each_record("{\"a\":1}\n\n{\"b\":2}", [&count](nlohmann::json&&) {
    ++count;
    return true;
  }));
  EXPECT_EQ(count, 2);
}

TEST(SpoolSinkTest, WritesThousandRecordPagesAndAPartialLastPage) {
  testing::TempDir dir;
  auto db = state::StateDb::open(dir.path());
  ASSERT_TRUE(db);
  state::DatasetRow row;
  row.id = "d1";
  row.source = "acme";
  row.data_type = "invoices";
  row.lease_id = "l";
  row.started = state::utc_now();
  ASSERT_FALSE((*db)->begin_dataset(row));

  SpoolSink sink(**db, "d1");
  for (int i = 0; i < 2500; ++i) {
    ASSERT_TRUE(sink.write(record(i)));
  }
  ASSERT_TRUE(sink.finish());
  EXPECT_EQ(sink.pages(), 3);
  EXPECT_EQ(sink.records(), 2500);

  int next = 0;
  for (int n = 0; n < 3; ++n) {
    auto page = (*db)->page("d1", n);
    ASSERT_TRUE(page && page->has_value());
    EXPECT_EQ((*page)->records, n < 2 ? 1000 : 500);
    auto text = zstd_decompress((*page)->body);
    ASSERT_TRUE(text);
    EXPECT_EQ((*page)->sha256, sha256_hex(*text));
    ASSERT_TRUE(for_each_record(*text, [&next](nlohmann::json&& r) {
      EXPECT_EQ(r, record(next++));
      return true;
    }));
  }
  EXPECT_EQ(next, 2500);
  EXPECT_FALSE((*db)->page("d1", 3)->has_value());
}

TEST(SpoolSinkTest, EmptyDatasetHasNoPagesAndNonObjectsAreRefused) {
  testing::TempDir dir;
  auto db = state::StateDb::open(dir.path());
  ASSERT_TRUE(db);
  SpoolSink sink(**db, "d1");
  EXPECT_FALSE(sink.write(nlohmann::json::array()));
  ASSERT_TRUE(sink.finish());
  EXPECT_EQ(sink.pages(), 0);
}

}  // namespace
}  // namespace bookbridge::agent::pipeline
