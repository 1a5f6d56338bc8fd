#include "api/hub_router.h"

#include "api/routes.h"
#include "gateway/gateway.h"

namespace bookbridge::hub::api {

std::unique_ptr<Router> make_hub_router(core::Hub& hub, std::string api_key_sha256_hex) {
  Router::Options options;
  options.client_auth = basic_auth_guard(std::move(api_key_sha256_hex));
  auto router = std::make_unique<Router>(std::move(options));
  add_company_routes(*router, hub);
  add_dataset_routes(*router, hub);
  add_data_routes(*router, hub);
  gateway::add_gateway_routes(*router, hub);
  return router;
}

}  // namespace bookbridge::hub::api
