// Windows secret store: the same one-file-per-name layout as POSIX, but each file holds the
// secret encrypted with DPAPI (machine scope, so the service account and an administrator's
// `bookbridge-agent link` both can read it) and the directory is ACL'd to SYSTEM and
// Administrators only. Written atomically (temp file + MoveFileExW with write-through).

#include "platform/secret_store.h"

#include <dpapi.h>
#include <sddl.h>
#include <windows.h>

#include <random>
#include <vector>

#include "platform/secret_name.h"

#pragma comment(lib, "crypt32.lib")
#pragma comment(lib, "advapi32.lib")

namespace bookbridge::platform {
namespace fs = std::filesystem;
namespace {

std::error_code last_error() {
  return {static_cast<int>(::GetLastError()), std::system_category()};
}

class Handle {
 public:
  explicit Handle(HANDLE handle) : handle_(handle) {}
  ~Handle() {
    if (handle_ != INVALID_HANDLE_VALUE && handle_ != nullptr) {
      ::CloseHandle(handle_);
    }
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  HANDLE get() const { return handle_; }
  bool valid() const { return handle_ != INVALID_HANDLE_VALUE && handle_ != nullptr; }

 private:
  HANDLE handle_;
};

// Protected DACL (no inheritance from ProgramData): full control for SYSTEM and Administrators,
// inherited by files created inside.
constexpr wchar_t kPrivateDacl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

std::error_code ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec) {
    return ec;
  }
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!::ConvertStringSecurityDescriptorToSecurityDescriptorW(kPrivateDacl, SDDL_REVISION_1,
                                                              &descriptor, nullptr)) {
    return last_error();
  }
  SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), descriptor, FALSE};
  BOOL created = ::CreateDirectoryW(dir.c_str(), &attributes);
  DWORD error = created ? ERROR_SUCCESS : ::GetLastError();
  if (!created && error == ERROR_ALREADY_EXISTS) {
    // Re-apply the DACL: an existing directory may have been created by hand.
    PACL dacl = nullptr;
    BOOL present = FALSE;
    BOOL defaulted = FALSE;
    if (::GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted) &&
        !::SetFileSecurityW(dir.c_str(), DACL_SECURITY_INFORMATION, descriptor)) {
      error = ::GetLastError();
    } else {
      error = ERROR_SUCCESS;
    }
  }
  ::LocalFree(descriptor);
  if (error != ERROR_SUCCESS) {
    return {static_cast<int>(error), std::system_category()};
  }
  return {};
}

std::optional<std::vector<BYTE>> protect(const std::string& secret) {
  DATA_BLOB in{static_cast<DWORD>(secret.size()),
               reinterpret_cast<BYTE*>(const_cast<char*>(secret.data()))};
  DATA_BLOB out{};
  if (!::CryptProtectData(&in, L"bookbridge-agent credential", nullptr, nullptr, nullptr,
                          CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &out)) {
    return std::nullopt;
  }
  std::vector<BYTE> bytes(out.pbData, out.pbData + out.cbData);
  ::LocalFree(out.pbData);
  return bytes;
}

std::optional<std::string> unprotect(const std::vector<BYTE>& bytes) {
  DATA_BLOB in{static_cast<DWORD>(bytes.size()), const_cast<BYTE*>(bytes.data())};
  DATA_BLOB out{};
  if (!::CryptUnprotectData(&in, nullptr, nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN,
                            &out)) {
    return std::nullopt;
  }
  std::string secret(reinterpret_cast<const char*>(out.pbData), out.cbData);
  ::SecureZeroMemory(out.pbData, out.cbData);
  ::LocalFree(out.pbData);
  return secret;
}

}  // namespace

SecretStore::SecretStore(fs::path state_dir) : dir_(std::move(state_dir) / L"credentials") {}

fs::path SecretStore::file_for(const std::string& name) const {
  return dir_ / fs::path(name + ".secret");
}

std::error_code SecretStore::save(const std::string& name, const std::string& secret) {
  if (!detail::is_safe_secret_name(name)) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  if (auto ec = ensure_private_dir(dir_)) {
    return ec;
  }
  auto blob = protect(secret);
  if (!blob) {
    return last_error();
  }
  std::random_device random;
  fs::path temp = dir_ / fs::path("." + name + ".tmp-" + std::to_string(random()));
  {
    Handle file(::CreateFileW(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                              FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid()) {
      return last_error();
    }
    DWORD written = 0;
    if (!::WriteFile(file.get(), blob->data(), static_cast<DWORD>(blob->size()), &written,
                     nullptr) ||
        written != blob->size() || !::FlushFileBuffers(file.get())) {
      auto ec = last_error();
      ::DeleteFileW(temp.c_str());
      return ec;
    }
  }
  if (!::MoveFileExW(temp.c_str(), file_for(name).c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    auto ec = last_error();
    ::DeleteFileW(temp.c_str());
    return ec;
  }
  return {};
}

std::optional<std::string> SecretStore::load(const std::string& name) const {
  if (!detail::is_safe_secret_name(name)) {
    return std::nullopt;
  }
  Handle file(::CreateFileW(file_for(name).c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr,
                            OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file.valid()) {
    return std::nullopt;
  }
  LARGE_INTEGER size{};
  if (!::GetFileSizeEx(file.get(), &size) || size.QuadPart > 1024 * 1024) {
    return std::nullopt;
  }
  std::vector<BYTE> bytes(static_cast<std::size_t>(size.QuadPart));
  DWORD read = 0;
  if (!bytes.empty() &&
      (!::ReadFile(file.get(), bytes.data(), static_cast<DWORD>(bytes.size()), &read, nullptr) ||
       read != bytes.size())) {
    return std::nullopt;
  }
  return unprotect(bytes);
}

std::error_code SecretStore::remove(const std::string& name) {
  if (!detail::is_safe_secret_name(name)) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  if (!::DeleteFileW(file_for(name).c_str())) {
    DWORD error = ::GetLastError();
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
      return {};
    }
    return {static_cast<int>(error), std::system_category()};
  }
  return {};
}

}  // namespace bookbridge::platform
