<#
.SYNOPSIS
  Installs (or updates) bookbridge-agent as a Windows service with restart-on-failure recovery.

.DESCRIPTION
  Idempotent: run it again after an upgrade. The service runs as LocalSystem because the agent's
  credentials (under %ProgramData%\Bookbridge\state\credentials) are DPAPI-protected and ACL'd
  to SYSTEM and Administrators only. Run `bookbridge-agent link` from an elevated prompt.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File install-agent-service.ps1 `
      -BinaryPath "C:\Program Files\Bookbridge\bookbridge-agent.exe"
#>
[CmdletBinding()]
param(
  [string]$BinaryPath = (Join-Path $env:ProgramFiles 'Bookbridge\bookbridge-agent.exe'),
  [string]$ConfigPath = (Join-Path $env:ProgramData 'Bookbridge\agent.json'),
  [string]$ServiceName = 'bookbridge-agent',
  [switch]$NoStart
)
$ErrorActionPreference = 'Stop'

function Invoke-Sc {
  param([string[]]$Arguments)
  & sc.exe @Arguments | Out-Host
  if ($LASTEXITCODE -ne 0) { throw "sc.exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'Run this script from an elevated (Administrator) PowerShell.'
}
if (-not (Test-Path -LiteralPath $BinaryPath -PathType Leaf)) {
  throw "bookbridge-agent.exe not found at '$BinaryPath' (pass -BinaryPath)."
}

# Config directory: SYSTEM and Administrators only (it may name private paths and the hub).
$configDir = Split-Path -Parent $ConfigPath
if (-not (Test-Path -LiteralPath $configDir)) { New-Item -ItemType Directory -Path $configDir | Out-Null }
& icacls.exe $configDir /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null
if (-not (Test-Path -LiteralPath $ConfigPath)) {
  $example = Join-Path (Split-Path -Parent $PSScriptRoot) 'installer\agent.example.json'
  if (Test-Path -LiteralPath $example) {
    Copy-Item -LiteralPath $example -Destination $ConfigPath
    Write-Host "Wrote $ConfigPath from the example: edit it, then run this script again."
    exit 0
  }
  throw "No config at '$ConfigPath'. Create it (see installer\agent.example.json)."
}

# Refuse to install a service that cannot start: every config problem is printed.
& $BinaryPath check-config --config $ConfigPath
if ($LASTEXITCODE -ne 0) { throw "The config has problems (above); fix them and run this script again." }

$binPath = "`"$BinaryPath`" run --config `"$ConfigPath`""
if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
  Invoke-Sc @('config', $ServiceName, 'binPath=', $binPath, 'start=', 'delayed-auto', 'obj=', 'LocalSystem')
} else {
  Invoke-Sc @('create', $ServiceName, 'binPath=', $binPath, 'start=', 'delayed-auto',
              'obj=', 'LocalSystem', 'DisplayName=', 'Bookbridge Agent')
}
Invoke-Sc @('description', $ServiceName, 'Syncs local accounting books to a Bookbridge hub.')
# Recovery: restart after 5 s, then 60 s, then 60 s; the failure count resets after a day.
Invoke-Sc @('failure', $ServiceName, 'reset=', '86400', 'actions=', 'restart/5000/restart/60000/restart/60000')
# Apply the recovery actions also when the agent stops itself with a non-zero exit code.
Invoke-Sc @('failureflag', $ServiceName, '1')
# Start after the network stack and the DNS client.
Invoke-Sc @('config', $ServiceName, 'depend=', 'Tcpip/Dnscache')

if (-not $NoStart) {
  Restart-Service -Name $ServiceName -ErrorAction SilentlyContinue
  if ((Get-Service -Name $ServiceName).Status -ne 'Running') { Start-Service -Name $ServiceName }
  Write-Host "Service $ServiceName is $((Get-Service -Name $ServiceName).Status)."
}
Write-Host "Link each source once (elevated prompt): `"$BinaryPath`" link `"<linkUrl>`" --source <name> --config `"$ConfigPath`""
