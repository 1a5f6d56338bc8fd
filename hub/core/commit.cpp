// Page upload and commit: the agent's records become the company's snapshot of a data type.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/datasets.h"
#include "core/lease_check.h"
#include "core/ndjson.h"
#include "core/processing.h"
#include "store/records.h"
#include "util/crypto.h"
#include "util/zstd_codec.h"

namespace bookbridge::hub::core {

using model::DatasetStatus;

namespace {

bool is_uploading_phase(DatasetStatus s) {
  return s == DatasetStatus::fetching || s == DatasetStatus::map_queued ||
         s == DatasetStatus::mapping || s == DatasetStatus::validation_queued ||
         s == DatasetStatus::validating;
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

ApiError page_conflict(int number) {
  return conflict("Page " + std::to_string(number) +
                      " was already uploaded with different content under this lease",
                  error_code::kPageConflict);
}

}  // namespace

Result<store::PageRow> upload_page(Hub& hub, const store::ConnectionRow& conn,
                                   std::string_view dataset_id, const PageUpload& page) {
  const auto sha = lower(page.sha256);
  if (page.number < 0 || page.number > 1'000'000) {
    return bad_request("page numbers run from 0 to 1000000");
  }
  if (!is_sha256_hex(sha)) {
    return bad_request("X-Content-SHA256 must be the hex SHA-256 of the uncompressed body");
  }
  if (!page.records || *page.records < 0 || *page.records > kMaxPageRecords) {
    return bad_request("X-Records must give the page's record count (0 to 1000)");
  }
  if (page.compressed_body.size() > kMaxPageCompressedBytes) {
    return too_large("a page may be at most 8 MiB compressed");
  }
  model::DataType type;
  {
    auto db = hub.db().acquire();
    auto row = leased_dataset(hub, *db, conn, dataset_id, page.lease_id);
    if (!row) {
      return row.error();
    }
    if (!is_uploading_phase(row->status)) {
      return conflict(
          "Pages can only be uploaded while the dataset is Fetching, Mapping or "
          "Validating; dataset " +
              row->id + " is " + std::string(model::to_string(row->status)),
          error_code::kIllegalTransition);
    }
    if (auto existing = store::find_page(*db, dataset_id, page.number)) {
      if (existing->sha256 == sha) {
        return *existing;  // the same page again: idempotent
      }
      return page_conflict(page.number);
    }
    type = row->data_type;
  }
  // Decode and check outside any transaction (this is the slow part).
  std::string error;
  auto body = zstd_decompress(page.compressed_body, kMaxPageBytes, &error);
  if (!body) {
    return bad_request("Page " + std::to_string(page.number) + ": " + error);
  }
  if (sha256_hex(*body) != sha) {
    return bad_request("Page " + std::to_string(page.number) +
                       ": the SHA-256 of the uncompressed body does not match X-Content-SHA256");
  }
  std::int64_t count = 0;
  error = for_each_page_record(*body, type, [&](const PageRecord&) { ++count; });
  if (!error.empty()) {
    return bad_request("Page " + std::to_string(page.number) + ", " + error);
  }
  if (count != *page.records) {
    return bad_request("Page " + std::to_string(page.number) + " holds " + std::to_string(count) +
                       " records but X-Records says " + std::to_string(*page.records));
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto row = leased_dataset(hub, *db, conn, dataset_id, page.lease_id);
  if (!row) {
    return row.error();
  }
  if (auto existing = store::find_page(*db, dataset_id, page.number)) {  // a concurrent retry
    if (existing->sha256 == sha) {
      return *existing;
    }
    return page_conflict(page.number);
  }
  store::PageRow stored{std::string(dataset_id), page.lease_id, page.number, sha, count};
  store::insert_page(*db, stored, page.compressed_body);
  txn.commit();
  return stored;
}

Result<std::vector<store::PageRow>> list_pages(Hub& hub, const store::ConnectionRow& conn,
                                               std::string_view dataset_id,
                                               std::string_view lease_id) {
  auto db = hub.db().acquire();
  auto row = leased_dataset(hub, *db, conn, dataset_id, lease_id);
  if (!row) {
    return row.error();
  }
  return store::list_pages(*db, dataset_id);
}

Result<store::DatasetRow> commit(Hub& hub, const store::ConnectionRow& conn,
                                 std::string_view dataset_id, std::string_view lease_id,
                                 std::int64_t page_count, std::int64_t record_count,
                                 std::optional<nlohmann::json> validation) {
  if (validation) {
    if (!validation->is_object()) {
      return bad_request("validation must be an object {errors: [...], warnings: [...]}");
    }
    auto errors = validation->find("errors");
    if (errors != validation->end() && errors->is_array() && !errors->empty()) {
      return bad_request(
          "A dataset with validation errors cannot be committed; report it with "
          "POST .../fail and status ValidationError");
    }
  }
  {
    auto db = hub.db().acquire();
    store::Transaction txn(*db);
    auto row = leased_dataset(hub, *db, conn, dataset_id, lease_id);
    if (!row) {
      return row;
    }
    if (row->status == DatasetStatus::complete) {
      return row;  // a retried commit whose reply was lost
    }
    if (row->status != DatasetStatus::validating) {
      return conflict("Cannot commit dataset " + row->id + " while it is " +
                          std::string(model::to_string(row->status)) + "; report Validating first",
                      error_code::kIllegalTransition);
    }
    const auto pages = store::list_pages(*db, dataset_id);
    std::vector<std::int64_t> missing;
    std::int64_t records = 0;
    for (std::int64_t n = 0, i = 0; n < page_count; ++n) {
      if (i < static_cast<std::int64_t>(pages.size()) && pages[i].number == n) {
        records += pages[i].records;
        ++i;
      } else if (missing.size() < 10) {
        missing.push_back(n);
      }
    }
    const bool extra = !pages.empty() && pages.back().number >= page_count;
    const bool single = model::info(row->data_type).shape == model::DataShape::single;
    if (page_count < 0 || !missing.empty() || extra || records != record_count ||
        (single && record_count > 1)) {
      std::string why;
      if (!missing.empty()) {
        why = "missing pages";
        for (auto n : missing) {
          why += " " + std::to_string(n);
        }
      } else if (extra) {
        why = "the hub holds pages beyond pageCount " + std::to_string(page_count);
      } else if (single && record_count > 1) {
        why = std::string(model::to_key(row->data_type)) + " is a single document";
      } else {
        why = "the pages hold " + std::to_string(records) + " records, not " +
              std::to_string(record_count);
      }
      return conflict("Incomplete upload for dataset " + row->id + ": " + why,
                      error_code::kIncompleteUpload);
    }
    if (auto moved = transition(*row, DatasetStatus::processing, model::Actor::hub, hub.now());
        !moved) {
      return moved.error();
    }
    row->lease_expires.reset();  // the hub holds it now
    row->validation = validation ? std::optional(validation->dump()) : std::nullopt;
    row->status_description.reset();
    store::update_dataset(*db, *row);
    txn.commit();
  }
  return finish_processing(hub, dataset_id);
}

store::DatasetRow finish_processing(Hub& hub, std::string_view dataset_id) {
  auto db = hub.db().acquire();
  std::string failure;
  {
    store::Transaction txn(*db);
    auto row = store::find_dataset(*db, dataset_id);
    if (!row || row->status != DatasetStatus::processing) {
      return row.value_or(store::DatasetRow{});
    }
    store::SnapshotWriter writer(*db, row->company_id, row->data_type, row->id, hub.now());
    // Single documents (company info, reports) have no modifiedDate in Codat's model.
    const bool single = model::info(row->data_type).shape == model::DataShape::single;
    std::string current_id;
    try {
      store::for_each_page(*db, dataset_id, [&](const store::PageRow& page, std::string_view blob) {
        std::string error;
        auto body = zstd_decompress(blob, kMaxPageBytes, &error);
        if (!body) {
          failure = "page " + std::to_string(page.number) + ": " + error;
          return false;
        }
        error = for_each_page_record(*body, row->data_type, [&](const PageRecord& record) {
          current_id = record.id;
          writer.add(record.id, record.json, single || record.has_modified_date);
        });
        if (!error.empty()) {
          failure = "page " + std::to_string(page.number) + ", " + error;
          return false;
        }
        return true;
      });
    } catch (const store::StoreError& e) {
      if (!e.is_constraint()) {
        throw;
      }
      failure = "the record id " + current_id + " appears more than once in the dataset";
    }
    if (failure.empty()) {
      row->record_count = writer.finish();
      if (!transition(*row, DatasetStatus::complete, model::Actor::hub, hub.now())) {
        return *row;
      }
      store::delete_pages(*db, row->id);
      store::update_dataset(*db, *row);
      txn.commit();
      spdlog::info("dataset {} ({}) Complete: {} records", row->id, model::to_key(row->data_type),
                   *row->record_count);
      return *row;
    }
  }
  store::Transaction txn(*db);
  auto row = store::find_dataset(*db, dataset_id);
  if (row && transition(*row, DatasetStatus::processing_error, model::Actor::hub, hub.now())) {
    row->error_message = "The hub could not store the records: " + failure;
    store::delete_pages(*db, row->id);
    store::update_dataset(*db, *row);
  }
  txn.commit();
  spdlog::warn("dataset {}: ProcessingError: {}", dataset_id, failure);
  return row.value_or(store::DatasetRow{});
}

}  // namespace bookbridge::hub::core
