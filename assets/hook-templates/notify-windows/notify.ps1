#!/usr/bin/env pwsh
Add-Type -AssemblyName System.Windows.Forms
$balloon = New-Object System.Windows.Forms.NotifyIcon
$balloon.Icon = [System.Drawing.SystemIcons]::Information
$balloon.BalloonTipTitle = "Backup $($env:LIFEBOAT_STATUS): $($env:LIFEBOAT_PLAN_NAME)"
$balloon.BalloonTipText = if ($env:LIFEBOAT_ERROR) { $env:LIFEBOAT_ERROR } else { 'See Lifeboat for details.' }
$balloon.Visible = $true
$balloon.ShowBalloonTip(10000)
Start-Sleep -Seconds 10
$balloon.Dispose()
