# Decides the platform once; platform/ picks its posix/ or windows/ sources from these.
if(WIN32)
  set(BOOKBRIDGE_PLATFORM_WINDOWS ON)
  set(BOOKBRIDGE_PLATFORM_DIR windows)
else()
  set(BOOKBRIDGE_PLATFORM_POSIX ON)
  set(BOOKBRIDGE_PLATFORM_DIR posix)
endif()
