<#
.SYNOPSIS
  Stops and removes the bookbridge-agent service. Keeps %ProgramData%\Bookbridge (config and
  credentials) unless -RemoveData is given; unlink sources first to revoke them at the hub.
#>
[CmdletBinding()]
param(
  [string]$ServiceName = 'bookbridge-agent',
  [switch]$RemoveData
)
$ErrorActionPreference = 'Stop'

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'Run this script from an elevated (Administrator) PowerShell.'
}
$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($service) {
  if ($service.Status -ne 'Stopped') {
    Stop-Service -Name $ServiceName
    $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(30))
  }
  & sc.exe delete $ServiceName | Out-Host
  if ($LASTEXITCODE -ne 0) { throw "sc.exe delete $ServiceName failed with exit code $LASTEXITCODE" }
  Write-Host "Removed service $ServiceName."
} else {
  Write-Host "Service $ServiceName is not installed."
}
if ($RemoveData) {
  $data = Join-Path $env:ProgramData 'Bookbridge'
  if (Test-Path -LiteralPath $data) {
    Remove-Item -LiteralPath $data -Recurse -Force
    Write-Host "Removed $data (config, state and credentials)."
  }
}
